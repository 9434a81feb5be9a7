/**
 * The dependency order between the @dht packages, and cycle finding.
 * Dependencies flow one way: wire, table and nat are leaves; io builds on wire; sim (the
 * simulated clock and network) on io's socket and clock interfaces, and on wire for
 * addresses; query on io and table (and wire, which io's types expose); rpc composes them
 * all but sim, which no package a node runs on needs.
 */

/** For each package (by folder name), the @dht packages it may depend on. */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = Object.freeze({
  wire: [],
  table: [],
  nat: [],
  io: ['wire'],
  sim: ['io', 'wire'],
  query: ['io', 'table', 'wire'],
  rpc: ['io', 'nat', 'query', 'table', 'wire']
})

/**
 * For each package, the @dht packages its tests may use besides those of ALLOWED: listed in
 * devDependencies and referenced from test/tsconfig.json, never imported by src. They may
 * sit above the package (sim is built on io, and io's tests run on sim's clock): a package's
 * tests are a project of their own that no other project references, so an edge from them
 * cannot close a cycle of builds, and the cycle search leaves these edges out.
 */
export const TEST_ONLY: Readonly<Record<string, readonly string[]>> = Object.freeze({
  io: ['sim'],
  query: ['sim'],
  rpc: ['sim']
})

/** Directed edges: package name to the names it depends on. */
export type Graph = ReadonlyMap<string, ReadonlySet<string>>

/** What a package may depend on, as a sentence ending: "may only depend on io, wire". */
export function describeAllowed (name: string, allowed: Readonly<Record<string, readonly string[]>>): string {
  const targets = allowed[name]
  if (targets === undefined) return `${name} is not in the dependency graph (tools/checks/src/graph.ts)`
  if (targets.length === 0) return `${name} is a leaf and may not depend on any @dht package`
  return `${name} may only depend on ${[...targets].sort().join(', ')}`
}

/** What a package's tests may use, as a sentence ending: "io's tests may only use sim, wire". */
export function describeTestAllowed (name: string, allowed: Readonly<Record<string, readonly string[]>>, testOnly: Readonly<Record<string, readonly string[]>>): string {
  const runtime = allowed[name]
  if (runtime === undefined) return describeAllowed(name, allowed)
  const targets = [...new Set([...runtime, ...testOnly[name] ?? []])].sort()
  if (targets.length === 0) return `${name}'s tests may not use any @dht package`
  return `${name}'s tests may only use ${targets.join(', ')}`
}

/** The graph described by an allowed-dependency table. */
export function graphOf (allowed: Readonly<Record<string, readonly string[]>>): Graph {
  return new Map(Object.entries(allowed).map(([name, targets]) => [name, new Set(targets)]))
}

/**
 * Every elementary cycle reachable by depth-first search, each reported once as a path
 * that starts and ends at its alphabetically first node: ['io', 'query', 'io'].
 * Self-edges are left out; they are a different mistake and reported as such.
 */
export function findCycles (graph: Graph): string[][] {
  const seen = new Set<string>()
  const cycles: string[][] = []
  const stack: string[] = []
  const onStack = new Set<string>()

  const visit = (node: string): void => {
    stack.push(node)
    onStack.add(node)
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (next === node) continue
      if (onStack.has(next)) {
        const cycle = canonical(stack.slice(stack.indexOf(next)))
        const key = cycle.join('>')
        if (!seen.has(key)) {
          seen.add(key)
          cycles.push(cycle)
        }
      } else {
        visit(next)
      }
    }
    stack.pop()
    onStack.delete(node)
  }

  for (const node of [...graph.keys()].sort()) visit(node)
  return cycles
}

// Rotate a cycle to start at its smallest node and close it: [b, c, a] -> [a, b, c, a].
function canonical (nodes: string[]): string[] {
  const first = [...nodes].sort()[0]
  const at = first === undefined ? 0 : nodes.indexOf(first)
  const rotated = [...nodes.slice(at), ...nodes.slice(0, at)]
  const start = rotated[0]
  return start === undefined ? [] : [...rotated, start]
}

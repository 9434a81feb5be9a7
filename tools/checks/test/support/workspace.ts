/**
 * Synthetic workspaces for the dependency check: a healthy copy of the real graph, built
 * in memory, which each test breaks in one way. Also writes a workspace to disk, so the
 * reader is tested on real files.
 */

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ALLOWED } from '../../src/graph.js'
import type { DependencyField, PackageModel, WorkspaceModel } from '../../src/workspace.js'

export interface PackageSpec {
  /** Files under src, by path relative to src. */
  readonly sources?: Record<string, string>
  readonly dependencies?: readonly string[]
  readonly devDependencies?: readonly string[]
  /** tsconfig.json reference paths. */
  readonly references?: readonly string[]
  /** test/tsconfig.json reference paths; no test/tsconfig.json when absent. */
  readonly testReferences?: readonly string[]
  readonly name?: string
}

/** A package as the healthy graph would have it: imports, lists and references each dependency. */
export function healthy (name: string): PackageSpec {
  const deps = ALLOWED[name] ?? []
  const body = deps.map((dep) => `import { ${dep} } from '@dht/${dep}'\n`).join('')
  return {
    sources: { 'index.ts': `${body}import { helper } from './helper.js'\nexport const name = '${name}'\n`, 'helper.ts': 'export const helper = 1\n' },
    dependencies: deps.map((dep) => `@dht/${dep}`),
    references: deps.map((dep) => `../${dep}`)
  }
}

/** The healthy workspace, with some packages replaced or added. */
export function workspace (changes: Record<string, PackageSpec> = {}): WorkspaceModel {
  const specs: Record<string, PackageSpec> = {}
  for (const name of Object.keys(ALLOWED)) specs[name] = healthy(name)
  Object.assign(specs, changes)
  return { packages: Object.entries(specs).map(([name, spec]) => model(name, spec)) }
}

function model (name: string, spec: PackageSpec): PackageModel {
  const dir = `packages/${name}`
  const manifest: Record<DependencyField, readonly string[]> = {
    dependencies: spec.dependencies ?? [],
    peerDependencies: [],
    optionalDependencies: [],
    devDependencies: spec.devDependencies ?? []
  }
  return {
    dir,
    name: spec.name ?? `@dht/${name}`,
    manifest,
    references: spec.references ?? [],
    testReferences: spec.testReferences ?? [],
    sources: Object.entries(spec.sources ?? {}).map(([path, text]) => ({ path: `${dir}/src/${path}`, text })),
    unreadable: []
  }
}

/** Writes the workspace's packages (package.json, tsconfig.json, src) under `root`. */
export function writeWorkspace (root: string, specs: Record<string, PackageSpec>): void {
  write(root, 'pnpm-workspace.yaml', 'packages:\n  - packages/*\n')
  for (const [name, spec] of Object.entries(specs)) {
    const dir = `packages/${name}`
    const dependencies = Object.fromEntries((spec.dependencies ?? []).map((dep) => [dep, 'workspace:^']))
    const devDependencies = Object.fromEntries((spec.devDependencies ?? []).map((dep) => [dep, 'workspace:^']))
    write(root, `${dir}/package.json`, JSON.stringify({ name: spec.name ?? `@dht/${name}`, type: 'module', dependencies, devDependencies }, null, 2))
    const references = (spec.references ?? []).map((path) => ({ path }))
    write(root, `${dir}/tsconfig.json`, `{\n  // comments and trailing commas, as tsc allows\n  "compilerOptions": { "outDir": "dist", },\n  "references": ${JSON.stringify(references)}\n}\n`)
    if (spec.testReferences !== undefined) {
      write(root, `${dir}/test/tsconfig.json`, JSON.stringify({ references: spec.testReferences.map((path) => ({ path })) }, null, 2))
    }
    for (const [path, text] of Object.entries(spec.sources ?? {})) write(root, `${dir}/src/${path}`, text)
  }
}

function write (root: string, path: string, text: string): void {
  const file = join(root, path)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

/**
 * The dependency-order check: every @dht package depends only on the packages below it
 * (see ALLOWED in graph.ts), and says so consistently in its imports, its package.json
 * and its tsconfig.json references; its tests may also use the packages TEST_ONLY names,
 * through devDependencies and test/tsconfig.json. Returns violations as lines a person can
 * act on.
 */

import { posix } from 'node:path'
import { ALLOWED, TEST_ONLY, describeAllowed, describeTestAllowed, findCycles } from './graph.js'
import { findImports } from './imports.js'
import { PACKAGES_DIR } from './repo.js'
import { readWorkspace } from './workspace.js'
import type { PackageModel, SourceFile, WorkspaceModel } from './workspace.js'

const SCOPE = '@dht/'

export type ViolationKind =
  | 'import' // a source file imports a @dht package it may not
  | 'relative' // a relative (or absolute) import leaves the package
  | 'manifest' // package.json lists a @dht package it may not, or misses one it imports
  | 'reference' // tsconfig.json references disagree with the @dht dependencies
  | 'cycle' // the packages depend on each other in a circle
  | 'package' // a package the check cannot place: unknown, misnamed, unreadable

export interface Violation {
  readonly kind: ViolationKind
  readonly message: string
}

type Allowed = Readonly<Record<string, readonly string[]>>

/** The violations in the repository at `root`. */
export function checkRepo (root: string, allowed: Allowed = ALLOWED, testOnly: Allowed = TEST_ONLY): Violation[] {
  return checkWorkspace(readWorkspace(root), allowed, testOnly)
}

/** The violations in a workspace model; empty when the dependency order holds. */
export function checkWorkspace (workspace: WorkspaceModel, allowed: Allowed = ALLOWED, testOnly: Allowed = TEST_ONLY): Violation[] {
  const violations: Violation[] = []
  const edges = new Map<string, Set<string>>()
  for (const pkg of workspace.packages) {
    edges.set(shortName(pkg), checkPackage(pkg, allowed, testOnly, violations))
  }
  for (const cycle of findCycles(edges)) {
    violations.push({
      kind: 'cycle',
      message: `dependency cycle: ${cycle.join(' -> ')} (counting imports, package.json and tsconfig.json references, test-only edges aside)`
    })
  }
  return violations
}

/** One line per violation, for a test failure or a terminal. */
export function formatViolations (violations: readonly Violation[]): string {
  return violations.map((v) => v.message).join('\n')
}

// Checks one package, pushing its violations; returns every @dht package it depends on
// in any way (imports, any package.json field, references) but through its tests alone,
// for the cycle search.
function checkPackage (pkg: PackageModel, allowed: Allowed, testOnly: Allowed, violations: Violation[]): Set<string> {
  const name = shortName(pkg)
  const may = new Set(allowed[name] ?? [])
  const why = describeAllowed(name, allowed)
  const testsMay = new Set([...may, ...testOnly[name] ?? []])
  const testsWhy = describeTestAllowed(name, allowed, testOnly)
  const report = (kind: ViolationKind, message: string): void => { violations.push({ kind, message }) }
  const dependsOn = new Set<string>()

  for (const problem of pkg.unreadable) report('package', problem)
  if (allowed[name] === undefined) report('package', `${pkg.dir}: ${why}`)
  if (pkg.name !== undefined && pkg.name !== SCOPE + name) {
    report('package', `${pkg.dir}/package.json is named ${pkg.name}, but its folder says ${SCOPE}${name}`)
  }

  // (a) and (b): what the sources import.
  const imported = new Map<string, string>() // allowed @dht package -> first file importing it
  for (const file of pkg.sources) {
    for (const { specifier, line } of findImports(file.text)) {
      const where = `${file.path}:${line}`
      const target = scopedTarget(specifier)
      if (target !== undefined) {
        dependsOn.add(target)
        if (target === name) {
          report('import', `${where} imports its own package ${specifier}; use a relative import`)
        } else if (!may.has(target)) {
          report('import', `${where} imports ${specifier}, but ${why}`)
        } else if (!imported.has(target)) {
          imported.set(target, file.path)
        }
      } else if (leavesPackage(file, specifier, pkg.dir)) {
        report('relative', `${where} imports '${specifier}', which leaves ${pkg.dir}; import other packages by name`)
      }
    }
  }

  // (c): package.json lists only allowed @dht packages, and every one the sources import;
  // devDependencies may also list what the tests alone use.
  const declared = new Set<string>() // @dht packages available at run time
  const testDeclared = new Set<string>() // @dht packages only the tests use
  for (const [field, names] of Object.entries(pkg.manifest)) {
    const dev = field === 'devDependencies'
    for (const dep of names) {
      const target = scopedTarget(dep)
      if (target === undefined) continue
      if (target === name) {
        report('manifest', `${pkg.dir}/package.json lists itself (${dep}) in ${field}`)
      } else if (dev && !may.has(target)) {
        if (testsMay.has(target)) testDeclared.add(target)
        else report('manifest', `${pkg.dir}/package.json lists ${dep} in ${field}, but ${testsWhy}`)
        continue // an edge of the tests only, or a wrong one reported as such: not a build's
      } else if (!may.has(target)) {
        report('manifest', `${pkg.dir}/package.json lists ${dep} in ${field}, but ${why}`)
      } else if (!dev) {
        declared.add(target)
      }
      dependsOn.add(target)
    }
  }
  for (const [target, file] of imported) {
    if (declared.has(target)) continue
    const onlyDev = pkg.manifest.devDependencies.includes(SCOPE + target) ? ' (only in devDependencies)' : ''
    report('manifest', `${file} imports ${SCOPE}${target}, but ${pkg.dir}/package.json does not list it in dependencies${onlyDev}`)
  }

  // (d): tsconfig.json references exactly the @dht packages it depends on.
  const expected = new Set([...declared, ...imported.keys()])
  const referenced = new Set<string>()
  for (const ref of pkg.references) {
    const target = referencedPackage(pkg.dir, ref)
    if (target === undefined) {
      report('reference', `${pkg.dir}/tsconfig.json references ${ref}, which is not a package under ${PACKAGES_DIR}/`)
      continue
    }
    dependsOn.add(target)
    referenced.add(target)
    if (target === name) {
      report('reference', `${pkg.dir}/tsconfig.json references itself (${ref})`)
    } else if (!may.has(target)) {
      report('reference', `${pkg.dir}/tsconfig.json references ${ref}, but ${why}`)
    } else if (!expected.has(target)) {
      report('reference', `${pkg.dir}/tsconfig.json references ${ref}, but ${name} does not depend on ${SCOPE}${target}`)
    }
  }
  for (const target of [...expected].sort()) {
    if (!referenced.has(target)) {
      report('reference', `${pkg.dir}/tsconfig.json has no reference to ../${target}, but ${name} depends on ${SCOPE}${target}`)
    }
  }

  // (f): test/tsconfig.json references the package itself and what its tests may use, and
  // every package only they use, so that tsc -b builds it before them.
  const testReferenced = new Set<string>()
  for (const ref of pkg.testReferences) {
    const target = referencedPackage(`${pkg.dir}/test`, ref)
    if (target === undefined) {
      report('reference', `${pkg.dir}/test/tsconfig.json references ${ref}, which is not a package under ${PACKAGES_DIR}/`)
    } else if (target !== name && !testsMay.has(target)) {
      report('reference', `${pkg.dir}/test/tsconfig.json references ${ref}, but ${testsWhy}`)
    } else {
      testReferenced.add(target)
    }
  }
  for (const target of [...testDeclared].sort()) {
    if (!testReferenced.has(target)) {
      report('reference', `${pkg.dir}/test/tsconfig.json has no reference to ../../${target}, but ${pkg.dir}/package.json lists ${SCOPE}${target} in devDependencies for the tests`)
    }
  }

  dependsOn.delete(name)
  return dependsOn
}

// The folder name stands for the package: packages/io is @dht/io.
function shortName (pkg: PackageModel): string {
  return posix.basename(pkg.dir)
}

// '@dht/rpc' and '@dht/rpc/testnet' -> 'rpc'; anything else -> undefined.
function scopedTarget (specifier: string): string | undefined {
  if (!specifier.startsWith(SCOPE)) return undefined
  return specifier.slice(SCOPE.length).split('/')[0]
}

function leavesPackage (file: SourceFile, specifier: string, dir: string): boolean {
  if (specifier.startsWith('/') || specifier.startsWith('file:')) return true
  if (!specifier.startsWith('.')) return false // a bare specifier: some other package
  const resolved = posix.normalize(posix.join(posix.dirname(file.path), specifier))
  return !inside(resolved, dir)
}

// '../io' or '../io/tsconfig.json' from packages/query -> 'io'; outside packages/ -> undefined.
function referencedPackage (dir: string, ref: string): string | undefined {
  let resolved = posix.normalize(posix.join(dir, ref))
  if (resolved.endsWith('.json')) resolved = posix.dirname(resolved)
  const parts = resolved.split('/')
  return parts.length === 2 && parts[0] === PACKAGES_DIR ? parts[1] : undefined
}

function inside (path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + '/')
}

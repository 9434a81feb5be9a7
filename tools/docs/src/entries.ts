/**
 * What the reference documents: every folder of packages/ with a package.json, and in each
 * the entries its `exports` map gives users (`.`, `./testnet`, …), read the way TypeDoc
 * reads them, so a package or an entry added there is documented without a change here.
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageDirs } from '@dht/checks/repo'

/** A package to document. */
export interface DocPackage {
  /** Repository-relative folder: `packages/rpc`. */
  readonly dir: string
  /** Its `name`: `@dht/rpc`. */
  readonly name: string
  /** Its public module entries, `.` first when it has one: `['.', './testnet']`. */
  readonly entries: readonly string[]
}

// The conditions TypeDoc follows in an `exports` target, in its order of preference.
const CONDITIONS = ['typedoc', 'types', 'import', 'node', 'default']
// A target that is a module (not package.json, not a data file such as test-vectors/v5.json).
const MODULE = /\.(?:d\.[cm]?ts|[cm]?js)$/

/**
 * The subpaths of an `exports` map whose target is a module. A subpath with a `*` is an
 * error: TypeDoc would document each file it matches, which is not what a reader needs.
 */
export function moduleEntries (exports: unknown): string[] {
  if (typeof exports === 'string' || Array.isArray(exports)) return isModule(exports) ? ['.'] : []
  if (typeof exports !== 'object' || exports === null) return []
  const map = exports as Record<string, unknown>
  // An object of conditions rather than of subpaths is the "." entry.
  if (!Object.keys(map).some((key) => key.startsWith('.'))) return isModule(map) ? ['.'] : []
  const entries: string[] = []
  for (const [subpath, target] of Object.entries(map)) {
    if (!isModule(target)) continue
    if (subpath.includes('*')) throw new Error(`exports["${subpath}"]: a wildcard entry cannot be documented as one module`)
    entries.push(subpath)
  }
  return entries.sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a.localeCompare(b)))
}

function isModule (target: unknown): boolean {
  if (typeof target === 'string') return MODULE.test(target)
  if (Array.isArray(target)) return target.some(isModule)
  if (typeof target !== 'object' || target === null) return false
  const conditions = target as Record<string, unknown>
  const first = Object.keys(conditions).find((key) => CONDITIONS.includes(key))
  return first !== undefined && isModule(conditions[first])
}

/** The packages under `root`/packages, each with its module entries. */
export function docPackages (root: string): DocPackage[] {
  return packageDirs(root).map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Record<string, unknown>
    const name = pkg['name']
    if (typeof name !== 'string') throw new Error(`${dir}/package.json has no name`)
    return { dir, name, entries: moduleEntries(pkg['exports'] ?? pkg['main']) }
  })
}

/** How a package's entry is imported: `@dht/rpc`, `@dht/rpc/testnet`. */
export function importPath (name: string, entry: string): string {
  return entry === '.' ? name : `${name}/${entry.replace(/^\.\//, '')}`
}

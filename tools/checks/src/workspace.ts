/**
 * Reads what the dependency check looks at from disk: for each package, its package.json
 * dependency lists, the references of its tsconfig.json and test/tsconfig.json, and its
 * source files. The check itself works on this plain model, so tests can hand it a
 * workspace that exists only in memory.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { blankComments } from './imports.js'
import { packageDirs } from './repo.js'

/** The package.json fields that declare dependencies. */
export const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'] as const
export type DependencyField = typeof DEPENDENCY_FIELDS[number]

export interface SourceFile {
  /** Repository-relative, forward slashes: `packages/io/src/io.ts`. */
  readonly path: string
  readonly text: string
}

export interface PackageModel {
  /** Repository-relative folder: `packages/io`. */
  readonly dir: string
  /** The `name` in package.json, if it has one. */
  readonly name: string | undefined
  /** Dependency names listed in each package.json field. */
  readonly manifest: Readonly<Record<DependencyField, readonly string[]>>
  /** The `path` of each tsconfig.json reference, as written. */
  readonly references: readonly string[]
  /** The `path` of each test/tsconfig.json reference, as written (relative to test/). */
  readonly testReferences: readonly string[]
  /** Every .ts/.mts/.cts/.tsx file under src. */
  readonly sources: readonly SourceFile[]
  /** Files that could not be read or parsed, with why. */
  readonly unreadable: readonly string[]
}

export interface WorkspaceModel {
  readonly packages: readonly PackageModel[]
}

const SOURCE_FILE = /\.(?:[cm]?ts|tsx)$/

/** The model of every package under `root`/packages. */
export function readWorkspace (root: string): WorkspaceModel {
  return { packages: packageDirs(root).map((dir) => readPackage(root, dir)) }
}

function readPackage (root: string, dir: string): PackageModel {
  const unreadable: string[] = []
  const pkg = readJson(root, `${dir}/package.json`, unreadable)
  const tsconfig = readJson(root, `${dir}/tsconfig.json`, unreadable)
  // a package without tests has no test/tsconfig.json, and nothing to check there
  const testTsconfig = existsSync(join(root, dir, 'test', 'tsconfig.json')) ? readJson(root, `${dir}/test/tsconfig.json`, unreadable) : undefined
  const name = pkg?.['name']
  return {
    dir,
    name: typeof name === 'string' ? name : undefined,
    manifest: Object.fromEntries(DEPENDENCY_FIELDS.map((field) => [field, keysOf(pkg?.[field])])) as Record<DependencyField, string[]>,
    references: referencePaths(tsconfig?.['references']),
    testReferences: referencePaths(testTsconfig?.['references']),
    sources: sourceFiles(root, `${dir}/src`),
    unreadable
  }
}

type Json = Record<string, unknown>

// tsconfig.json may hold comments and trailing commas; package.json never does,
// and cleaning it the same way is harmless.
function readJson (root: string, path: string, unreadable: string[]): Json | undefined {
  const file = join(root, path)
  if (!existsSync(file)) {
    unreadable.push(`${path} is missing`)
    return undefined
  }
  try {
    const text = blankComments(readFileSync(file, 'utf8')).replace(/,(\s*[}\]])/g, '$1')
    const value: unknown = JSON.parse(text)
    if (isObject(value)) return value
    unreadable.push(`${path} is not a JSON object`)
  } catch (err) {
    unreadable.push(`${path} is not valid JSON: ${(err as Error).message}`)
  }
  return undefined
}

function keysOf (value: unknown): string[] {
  return isObject(value) ? Object.keys(value) : []
}

function referencePaths (value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((ref: unknown) => isObject(ref) && typeof ref['path'] === 'string' ? [ref['path']] : [])
}

function sourceFiles (root: string, dir: string): SourceFile[] {
  const abs = join(root, dir)
  if (!existsSync(abs)) return []
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .map((rel) => rel.split('\\').join('/'))
    .filter((rel) => SOURCE_FILE.test(rel))
    .sort()
    .map((rel) => ({ path: `${dir}/${rel}`, text: readFileSync(join(abs, rel), 'utf8') }))
}

function isObject (value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

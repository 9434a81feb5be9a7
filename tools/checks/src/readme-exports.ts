/**
 * A package's README is its API reference, so it must name everything a user can import:
 * every export of every entry point in the package.json `exports` map (`.` and subpaths such
 * as `./testnet`), runtime values and types alike, read from the entry point's declarations
 * (`dist/…d.ts`, so run `pnpm build` first) with the TypeScript compiler API. A name counts
 * only when README.md shows it as code, in backticks or in a fenced block: prose that says
 * "the options" does not tell a reader which type to import.
 */

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { codeBlocks, outsideBlocks } from './readme-blocks.js'
import { fail, pass } from './report.js'
import type { CheckResult } from './report.js'

// An ASCII identifier: what a README can show as code and a user can import by name.
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** The exports of one entry point: `@dht/rpc/testnet` and what it exports. */
export interface EntryExports {
  readonly specifier: string
  readonly names: readonly string[]
}

/** Every identifier written as code in a Markdown text: in fenced blocks and in `spans`. */
export function codeWords (markdown: string): Set<string> {
  const words = new Set<string>()
  const add = (code: string): void => {
    for (const word of code.match(/[A-Za-z_$][\w$]*/g) ?? []) words.add(word)
  }
  for (const block of codeBlocks(markdown)) add(block.code)
  // Inline spans, outside fenced blocks: a run of backticks up to the same run again.
  for (const m of outsideBlocks(markdown).matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)) add(m[2] ?? '')
  return words
}

/**
 * The declarations file of each code entry point of a package: the `types` condition of
 * each subpath of its `exports` map. Subpaths with a pattern, `./package.json` and data files
 * (JSON) are not code to import by name and are left out.
 */
export function entryDeclarations (packageName: string, manifest: Record<string, unknown>): Array<{ specifier: string, file: string | undefined }> {
  const exports = manifest['exports']
  const map = isSubpathMap(exports) ? exports : { '.': exports }
  const entries: Array<{ specifier: string, file: string | undefined }> = []
  for (const [subpath, target] of Object.entries(map)) {
    if (subpath.includes('*') || subpath === './package.json' || target === null) continue
    const files = targets(target)
    if (files.length > 0 && files.every((file) => file.endsWith('.json'))) continue
    const specifier = subpath === '.' ? packageName : `${packageName}/${subpath.slice(2)}`
    entries.push({ specifier, file: typesOf(target) })
  }
  return entries
}

/**
 * The names each entry point exports, runtime and type. A default export counts under the
 * name of what it re-exports (`export default DHT` is `DHT`); names that are not identifiers
 * (`export { DHT as 'module.exports' }`, for CommonJS `require`) cannot be imported by name
 * and are left out.
 */
export function exportedNames (dir: string, entries: ReadonlyArray<{ specifier: string, file: string }>): EntryExports[] {
  const files = entries.map((entry) => join(dir, entry.file))
  const program = ts.createProgram(files, {
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022
  })
  const checker = program.getTypeChecker()
  return entries.map((entry, i) => {
    const source = program.getSourceFile(files[i] ?? '')
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source)
    const names = new Set<string>()
    for (const symbol of module === undefined ? [] : checker.getExportsOfModule(module)) {
      const name = symbol.name === 'default' ? defaultName(checker, symbol) : symbol.name
      if (name !== undefined && IDENTIFIER.test(name)) names.add(name)
    }
    return { specifier: entry.specifier, names: [...names].sort() }
  })
}

/** Checks the package in `dir`: every name its entry points export is code in its README.md. */
export function readmeExportsCheck (packageName: string, dir: string, manifest: Record<string, unknown>): CheckResult {
  const readme = join(dir, 'README.md')
  if (!existsSync(readme)) return fail(packageName, 'exports', ['no README.md'])
  const words = codeWords(readFileSync(readme, 'utf8'))
  const problems: string[] = []
  const found: Array<{ specifier: string, file: string }> = []
  for (const entry of entryDeclarations(packageName, manifest)) {
    if (entry.file === undefined) problems.push(`${entry.specifier}: no declarations (a "types" condition) to read its exports from`)
    else if (!existsSync(join(dir, entry.file))) problems.push(`${entry.specifier}: ${entry.file} is missing (run pnpm build)`)
    else found.push({ specifier: entry.specifier, file: entry.file })
  }
  let named = 0
  for (const { specifier, names } of exportedNames(dir, found)) {
    const missing = names.filter((name) => !words.has(name))
    named += names.length - missing.length
    if (missing.length > 0) problems.push(`${specifier}: ${missing.join(' ')}`)
  }
  if (problems.length === 0) return pass(packageName, 'exports', [`README.md names all ${named} exports`])
  return fail(packageName, 'exports', ['README.md does not show these exports as code (in backticks or a code block):', ...problems])
}

function defaultName (checker: ts.TypeChecker, symbol: ts.Symbol): string | undefined {
  if ((symbol.flags & ts.SymbolFlags.Alias) === 0) return undefined
  const target = checker.getAliasedSymbol(symbol)
  return target.name === 'default' ? undefined : target.name
}

// A subpath map has keys that start with '.'; a conditions object (types, default) does not.
function isSubpathMap (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).every((key) => key.startsWith('.'))
}

// Every file a target can resolve to, through nested conditions.
function targets (target: unknown): string[] {
  if (typeof target === 'string') return [target]
  if (typeof target !== 'object' || target === null) return []
  return Object.values(target).flatMap(targets)
}

// The declarations of a target: its `types` condition (searched through nested conditions),
// or a .d.ts given as the target itself.
function typesOf (target: unknown): string | undefined {
  if (typeof target === 'string') return target.endsWith('.d.ts') ? target : undefined
  if (typeof target !== 'object' || target === null) return undefined
  const record = target as Record<string, unknown>
  if (typeof record['types'] === 'string') return record['types']
  for (const value of Object.values(record)) {
    const found = typesOf(value)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * The module specifiers a TypeScript file refers to, found with regular expressions over
 * the source after its comments are blanked out: static imports and re-exports (type-only
 * ones too), side-effect imports, dynamic `import()` and `import('…')` types, `require()`,
 * and triple-slash references. Not a parser: good enough for our own sources.
 */

/** One specifier and the 1-based line it is written on. */
export interface ImportRef {
  readonly specifier: string
  readonly line: number
}

// import x from 'a' · import { x } from 'a' · import type X from 'a' · export * from 'a'
// export { x } from 'a' · export type { X } from 'a' · import 'a'. The clause before
// `from` may span lines but not a string or a semicolon.
const STATIC = /(?<![\w$.])(?:import|export)(?:\s*[\w$*{][^'"`;]*?\bfrom)?\s*(['"])([^'"\n]*)\1/g
// import('a') and the type form typeof import('a')
const DYNAMIC = /(?<![\w$.])import\s*\(\s*(['"`])([^'"`\n]*)\1/g
// import x = require('a'), createRequire(...)('a') is out of reach and fine to miss
const REQUIRE = /(?<![\w$.])require\s*\(\s*(['"`])([^'"`\n]*)\1\s*\)/g
// /// <reference path="a" /> and /// <reference types="a" />, read before comments go
const REFERENCE = /^[ \t]*\/\/\/[ \t]*<reference\s+(path|types)\s*=\s*(['"])([^'"\n]+)\2/gm

/** Every specifier in `source`, in order of position, without duplicates. */
export function findImports (source: string): ImportRef[] {
  const found = new Map<number, string>()
  // Match on a copy whose comments are blank and whose string contents are masked, so
  // neither can pass for code; read the specifier back from the same place in `source`.
  const code = mask(source, true)
  for (const pattern of [STATIC, DYNAMIC, REQUIRE]) {
    for (const match of code.matchAll(pattern)) {
      const masked = match[2] ?? ''
      // The specifier ends one quote before the end of the match (REQUIRE: before `)` too).
      const at = (match.index ?? 0) + match[0].lastIndexOf(masked + (match[1] ?? ''))
      found.set(at, source.slice(at, at + masked.length))
    }
  }
  for (const match of source.matchAll(REFERENCE)) {
    const raw = match[3] ?? ''
    // A path reference is relative to the file even without a leading './'.
    const specifier = match[1] === 'path' && !raw.startsWith('.') && !raw.startsWith('/') ? `./${raw}` : raw
    found.set(match.index ?? 0, specifier)
  }
  return [...found.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, specifier]) => ({ specifier, line: lineAt(source, at) }))
}

/**
 * `source` with every comment replaced by spaces (newlines kept, so positions and line
 * numbers still match). Strings and template literals are skipped over whole, so a `//`
 * inside a string is not taken for a comment.
 */
export function blankComments (source: string): string {
  return mask(source, false)
}

// Blanks comments; with `strings`, also replaces each character inside a string or
// template literal (not its quotes, not newlines) with `_`.
function mask (source: string, strings: boolean): string {
  let out = ''
  let i = 0
  while (i < source.length) {
    const ch = source[i]
    const next = source[i + 1]
    let end: number
    if (ch === '/' && next === '/') {
      end = source.indexOf('\n', i)
      if (end === -1) end = source.length
      out += blank(source.slice(i, end))
    } else if (ch === '/' && next === '*') {
      end = source.indexOf('*/', i + 2)
      end = end === -1 ? source.length : end + 2
      out += blank(source.slice(i, end))
    } else if (ch === '\'' || ch === '"' || ch === '`') {
      end = endOfString(source, i)
      const literal = source.slice(i, end)
      out += strings ? maskString(literal) : literal
    } else {
      end = i + 1
      out += ch
    }
    i = end
  }
  return out
}

// The index just past the string literal that opens at `start`. Quoted strings also end
// at a newline (unterminated); template literals run to the next unescaped backtick.
function endOfString (source: string, start: number): number {
  const quote = source[start]
  let i = start + 1
  while (i < source.length) {
    const ch = source[i]
    if (ch === '\\') {
      i += 2
      continue
    }
    if (ch === quote) return i + 1
    if (ch === '\n' && quote !== '`') return i
    i++
  }
  return source.length
}

// Keeps the opening quote, and the closing one if the literal has it.
function maskString (literal: string): string {
  const quote = literal[0] ?? ''
  const closed = literal.length > 1 && literal.endsWith(quote)
  const inner = literal.slice(1, closed ? -1 : undefined).replace(/[^\n]/g, '_')
  return quote + inner + (closed ? quote : '')
}

function blank (text: string): string {
  return text.replace(/[^\n]/g, ' ')
}

function lineAt (source: string, index: number): number {
  let line = 1
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) line++
  return line
}

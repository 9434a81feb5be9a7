/**
 * The code in a README that CI runs: every fenced block in JavaScript or TypeScript, as a
 * program of its own, unless the line before it (blank lines aside) marks it:
 *
 *   <!-- fragment: why -->   not run: a shape, an options object, code that needs yours
 *   <!-- continues -->       run as the rest of the program the block above started, so
 *                            a walk-through can be read in steps and still run as a whole
 *
 * Blocks in other languages (sh, json, plain) are not code to run and are left alone.
 */

/** The file extension each runnable language is written to; ts is compiled first. */
export const LANGUAGES: Readonly<Record<string, 'mjs' | 'cjs' | 'mts'>> = {
  js: 'mjs',
  javascript: 'mjs',
  mjs: 'mjs',
  cjs: 'cjs',
  ts: 'mts',
  typescript: 'mts'
}

export type Mark = 'run' | 'fragment' | 'continues'

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number
  /** The first word of the info string, lower case: js, ts, sh, … ('' for none). */
  readonly lang: string
  readonly code: string
  readonly mark: Mark
}

export interface Program {
  /** The README it comes from, as given. */
  readonly file: string
  /** The opening fence of each block in it, the first one naming the program. */
  readonly lines: readonly number[]
  readonly ext: 'mjs' | 'cjs' | 'mts'
  readonly code: string
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/
const MARK = /^\s*<!--\s*(fragment|continues)\b.*-->\s*$/

/** Every fenced block of a Markdown text, in order, with the mark on the line before it. */
export function codeBlocks (markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/)
  const blocks: CodeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '')
    if (open === null) continue
    const fence = open[1] ?? '```'
    const indent = (lines[i] ?? '').length - (lines[i] ?? '').trimStart().length
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const line = lines[j] ?? ''
      if (isClosing(line, fence)) break
      body.push(stripIndent(line, indent))
    }
    blocks.push({ line: i + 1, lang: (open[2] ?? '').toLowerCase(), code: body.join('\n'), mark: markBefore(lines, i) })
    i = j
  }
  return blocks
}

/** The text outside fenced blocks, each block's lines (fences too) left blank. */
export function outsideBlocks (markdown: string): string {
  const lines = markdown.split(/\r?\n/)
  let fence: string | undefined
  return lines.map((line) => {
    if (fence !== undefined) {
      if (isClosing(line, fence)) fence = undefined
      return ''
    }
    const open = FENCE.exec(line)
    if (open !== null) fence = open[1] ?? '```'
    return open === null ? line : ''
  }).join('\n')
}

/**
 * The programs of one README: its runnable blocks, each `continues` block appended to the
 * one before. Throws when a block continues nothing, or a program of another language.
 */
export function programs (file: string, markdown: string): Program[] {
  const result: Array<{ lines: number[], ext: Program['ext'], code: string[] }> = []
  for (const block of codeBlocks(markdown)) {
    const ext = LANGUAGES[block.lang]
    if (ext === undefined || block.mark === 'fragment') continue
    if (block.mark === 'continues') {
      const last = result.at(-1)
      if (last === undefined) throw new Error(`${file}:${block.line}: the block continues no program above it`)
      if (last.ext !== ext) throw new Error(`${file}:${block.line}: a ${block.lang} block cannot continue a .${last.ext} program`)
      last.lines.push(block.line)
      last.code.push(block.code)
      continue
    }
    result.push({ lines: [block.line], ext, code: [block.code] })
  }
  return result.map((p) => ({ file, lines: p.lines, ext: p.ext, code: p.code.join('\n\n') + '\n' }))
}

function isClosing (line: string, fence: string): boolean {
  const trimmed = line.trim()
  return line.length - line.trimStart().length <= 3 && trimmed.length >= fence.length &&
    [...trimmed].every((c) => c === fence[0])
}

// The mark is the last non-blank line above the fence.
function markBefore (lines: readonly string[], fence: number): Mark {
  for (let i = fence - 1; i >= 0; i--) {
    const line = lines[i] ?? ''
    if (line.trim() === '') continue
    const match = MARK.exec(line)
    return match === null ? 'run' : match[1] as Mark
  }
  return 'run'
}

function stripIndent (line: string, indent: number): string {
  let i = 0
  while (i < indent && line[i] === ' ') i++
  return line.slice(i)
}

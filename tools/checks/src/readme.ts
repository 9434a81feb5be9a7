/**
 * The README check: runs the code in README.md at the root and in every folder of
 * packages/ and tools/ (what runs and how blocks are marked: readme-blocks.ts).
 *
 * Each program runs with node, one at a time, in a scratch folder whose node_modules links
 * every @dht package to its folder in the workspace, so `import DHT from '@dht/rpc'`
 * loads the built package with its own dependencies, as it does for a user. TypeScript
 * programs are first type-checked and compiled by the workspace's tsc, as strictly as we
 * build. A program passes when it exits 0 by itself within the timeout: one that starts
 * nodes destroys them, one that needs a network makes its own on 127.0.0.1.
 *
 * Prints one line per program, exits 1 on any failure, removes its scratch folder.
 * Options: `--root <dir>` checks another workspace (the tests' fixtures); `--timeout <ms>`
 * for each program (default 60 s); `--keep` leaves the scratch folder and says where.
 */

import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { run, tail } from './exec.js'
import { programs } from './readme-blocks.js'
import type { Program } from './readme-blocks.js'
import { fail, pass } from './report.js'
import type { CheckResult } from './report.js'
import { packageDirs, repoRootOf } from './repo.js'
import { runChecks } from './run-checks.js'
import { STRICT_OPTIONS } from './strict-options.js'

const DEFAULT_TIMEOUT_MS = 60_000 // far above what a README program needs: one that hangs fails, not CI
const FOLDERS = ['packages', 'tools'] // besides the root, where READMEs are looked for

// A README's TypeScript is what a user copies into a strict project.
const TSCONFIG = { ...STRICT_OPTIONS, skipLibCheck: true }

interface Options {
  readonly root: string | undefined
  readonly timeoutMs: number
  readonly keep: boolean
}

const options = parseArgs(process.argv.slice(2))
const home = repoRootOf(import.meta.url) // where tsc and @types/node come from
const root = options.root ?? home
await runChecks('dht-readme-', options.keep, checkReadmes)

function parseArgs (args: readonly string[]): Options {
  let root: string | undefined
  let timeoutMs = DEFAULT_TIMEOUT_MS
  let keep = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === '--keep') keep = true
    else if (arg === '--root') root = resolve(args[++i] ?? '.')
    else if (arg === '--timeout') timeoutMs = Number(args[++i])
    else throw new Error(`unknown argument ${arg}`)
  }
  if (!(timeoutMs > 0)) throw new Error('--timeout takes a number of milliseconds')
  return { root, timeoutMs, keep }
}

async function checkReadmes (tmp: string): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  const all: Program[] = []
  for (const file of readmes()) {
    try {
      all.push(...programs(file, readFileSync(join(root, file), 'utf8')))
    } catch (err) {
      results.push(fail(file, 'blocks', [(err as Error).message]))
    }
  }
  linkWorkspace(tmp)
  const files = new Map(all.map((program) => [program, write(tmp, program)]))
  const compileErrors = await compile(tmp, [...files.values()].filter((file) => file.endsWith('.mts')))
  for (const program of all) {
    const file = files.get(program) ?? ''
    const name = `${program.file}:${program.lines[0] ?? 0}`
    const blocks = program.lines.length === 1 ? 'one block' : `blocks at lines ${program.lines.join(', ')}`
    const errors = compileErrors.get(file)
    if (errors !== undefined) {
      results.push(fail(name, 'types', [`${blocks}; tsc:`, ...errors]))
      continue
    }
    results.push(await runProgram(tmp, name, file.replace(/\.mts$/, '.mjs'), blocks))
  }
  return results
}

/** README.md at the root and in each folder of packages/ and tools/, repository-relative. */
function readmes (): string[] {
  const found = existsSync(join(root, 'README.md')) ? ['README.md'] : []
  for (const folder of FOLDERS) {
    const base = join(root, folder)
    if (!existsSync(base)) continue
    for (const entry of readdirSync(base, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && existsSync(join(base, entry.name, 'README.md'))) found.push(`${folder}/${entry.name}/README.md`)
    }
  }
  return found
}

// node_modules/@dht/<name> for each package of the workspace, and @types/node for tsc.
function linkWorkspace (tmp: string): void {
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'dht-readme-check', private: true, type: 'module' }, null, 2))
  const links = new Map<string, string>([['@types/node', join(home, 'node_modules', '@types', 'node')]])
  for (const dir of packageDirs(root)) {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name?: unknown }
    if (typeof manifest.name === 'string') links.set(manifest.name, join(root, dir))
  }
  for (const [name, target] of links) {
    const link = join(tmp, 'node_modules', name)
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(target, link, 'dir')
  }
}

// packages/rpc/README.md:21 -> packages-rpc-README-21.mjs
function write (tmp: string, program: Program): string {
  const base = `${program.file.replace(/\.md$/, '').replace(/[^\w]+/g, '-')}-${program.lines[0] ?? 0}`
  const file = join(tmp, `${base}.${program.ext}`)
  writeFileSync(file, program.code)
  return file
}

/** Type-checks and compiles the TypeScript programs; returns the errors of each file that has any. */
async function compile (tmp: string, files: readonly string[]): Promise<Map<string, string[]>> {
  const errors = new Map<string, string[]>()
  if (files.length === 0) return errors
  writeFileSync(join(tmp, 'tsconfig.json'), JSON.stringify({ compilerOptions: TSCONFIG, files }, null, 2))
  const result = await run(join(home, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--pretty', 'false'], { cwd: tmp })
  const lines = result.stdout.split('\n').filter((line) => / error TS\d+:/.test(line))
  if (result.code !== 0 && lines.length === 0) {
    for (const file of files) errors.set(file, ['tsc failed without diagnostics:', ...tail(result)])
  }
  for (const line of lines) {
    const file = join(tmp, line.slice(0, line.indexOf('(')))
    errors.set(file, [...errors.get(file) ?? [], line])
  }
  return errors
}

async function runProgram (tmp: string, name: string, file: string, blocks: string): Promise<CheckResult> {
  const started = Date.now()
  const result = await run(process.execPath, [file], { cwd: tmp, timeoutMs: options.timeoutMs, killSignal: 'SIGKILL' })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (result.code === 0) return pass(name, 'runs', [`${blocks}; exited 0 in ${seconds} s`])
  const why = result.error?.startsWith('killed') === true
    ? `did not exit within ${options.timeoutMs / 1000} s: a program must destroy every node it starts`
    : `exited ${result.code ?? result.error ?? '?'} after ${seconds} s`
  return fail(name, 'runs', [`${blocks}; ${why}:`, ...tail(result)])
}

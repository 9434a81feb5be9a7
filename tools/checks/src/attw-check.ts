/**
 * Are the Types Wrong? on a packed tarball, with the esm-only profile: our packages are
 * ES modules, so node10 and require() resolutions are not checked; every entrypoint must
 * resolve to types and JavaScript that agree under node16 (from ESM) and bundler.
 * require() of our ES modules (Node 20.19 and later) is not attw's to judge: it bundles
 * TypeScript 5.6, older than TypeScript's support for it, and calls every such require()
 * CJSResolvesToESM. @dht/rpc's test/require.test.cts and the release rehearsal check it.
 */

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run, tail } from './exec.js'
import { fail, pass } from './report.js'
import type { CheckResult } from './report.js'

/** The resolutions the esm-only profile leaves out (attw's profiles.js). */
export const ESM_ONLY_IGNORED = ['node10', 'node16-cjs']

export interface AttwProblem {
  readonly kind: string
  readonly entrypoint?: string
  readonly resolutionKind?: string
}

export async function attwCheck (name: string, tarball: string): Promise<CheckResult> {
  const args = [attwCli(), tarball, '--profile', 'esm-only', '--format', 'json', '--no-color']
  const result = await run(process.execPath, args, { cwd: dirname(tarball) })
  const problems = parseProblems(result.stdout)
  if (problems === undefined) return fail(name, 'attw', ['attw printed no analysis:', ...tail(result)])
  const counted = countedProblems(problems)
  const lines = counted.map((p) => `${p.kind} at ${p.entrypoint ?? '?'} (${p.resolutionKind ?? 'all resolutions'})`)
  // attw's exit code is the verdict; the list says why.
  if (result.code !== 0 || counted.length > 0) return fail(name, 'attw', lines.length > 0 ? lines : tail(result))
  return pass(name, 'attw')
}

/** The problems the esm-only profile counts. */
export function countedProblems (problems: readonly AttwProblem[]): AttwProblem[] {
  return problems.filter((p) => p.resolutionKind === undefined || !ESM_ONLY_IGNORED.includes(p.resolutionKind))
}

/** `analysis.problems` from attw's JSON output, or undefined if there is none. */
export function parseProblems (stdout: string): AttwProblem[] | undefined {
  const start = stdout.indexOf('{')
  if (start === -1) return undefined
  try {
    const json = JSON.parse(stdout.slice(start)) as { analysis?: { problems?: unknown } }
    const problems = json.analysis?.problems
    return Array.isArray(problems) ? problems.filter(isProblem) : undefined
  } catch {
    return undefined
  }
}

function isProblem (value: unknown): value is AttwProblem {
  return typeof value === 'object' && value !== null && 'kind' in value && typeof value.kind === 'string'
}

// The CLI's entry file, found through the installed package rather than a .bin shim.
function attwCli (): string {
  const manifest = fileURLToPath(import.meta.resolve('@arethetypeswrong/cli/package.json'))
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }
  return join(dirname(manifest), bin['attw'] ?? 'dist/index.js')
}

/**
 * The frame of a check command: a temporary folder for its work, removed on the way out
 * (also on Ctrl-C or SIGTERM) unless kept, one printed line per result, a summary, and
 * exit code 1 on any failure.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatResult } from './report.js'
import type { CheckResult } from './report.js'

export async function runChecks (prefix: string, keep: boolean, work: (tmp: string) => Promise<CheckResult[]>): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), prefix))
  const cleanup = (): void => {
    if (keep) console.log(`kept ${tmp}`)
    else rmSync(tmp, { recursive: true, force: true })
  }
  const onsignal = (): void => {
    cleanup()
    process.exit(130)
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, onsignal)
  try {
    const started = Date.now()
    const results = await work(tmp)
    for (const result of results) console.log(formatResult(result))
    const failed = results.filter((r) => !r.ok).length
    console.log(`\n${failed === 0 ? 'all passed' : `${failed} failed`} (${results.length} checks, ${((Date.now() - started) / 1000).toFixed(1)} s)`)
    process.exitCode = failed === 0 ? 0 : 1
  } catch (err) {
    console.error(err)
    process.exitCode = 1
  } finally {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, onsignal)
    cleanup()
  }
}

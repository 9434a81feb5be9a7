/**
 * Loads every entrypoint from inside the scratch project with Node's own ESM loader, as
 * a user's `import` would, and checks it resolves and exports something.
 */

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { run, tail } from './exec.js'
import { fail, pass } from './report.js'
import type { CheckResult } from './report.js'

// Imports each specifier given as JSON in argv[2] (a .json data export as JSON, the way a user
// must import it); prints what each exposes or why it failed.
const PROBE = `const results = {}
for (const specifier of JSON.parse(process.argv[2])) {
  try {
    const ns = specifier.endsWith('.json') ? await import(specifier, { with: { type: 'json' } }) : await import(specifier)
    results[specifier] = { ok: true, names: Object.keys(ns) }
  } catch (err) {
    results[specifier] = { ok: false, error: String(err && err.stack || err).split('\\n').slice(0, 4) }
  }
}
process.stdout.write(JSON.stringify(results))
`

interface Probe {
  readonly ok: boolean
  readonly names?: string[]
  readonly error?: string[]
}

/** One result per package: every one of its entrypoints must load and export something. */
export async function runtimeCheck (dir: string, entries: ReadonlyMap<string, readonly string[]>): Promise<CheckResult[]> {
  writeFileSync(join(dir, 'probe.mjs'), PROBE)
  const specifiers = [...entries.values()].flat()
  const result = await run(process.execPath, ['probe.mjs', JSON.stringify(specifiers)], { cwd: dir, timeoutMs: 30_000 })
  let probes: Record<string, Probe> | undefined
  try {
    probes = JSON.parse(result.stdout) as Record<string, Probe>
  } catch {}
  return [...entries].map(([name, specs]) => {
    if (probes === undefined) return fail(name, 'import', ['the import probe did not finish:', ...tail(result)])
    const lines: string[] = []
    let ok = true
    for (const spec of specs) {
      const probe = probes[spec]
      if (probe?.ok === true && (probe.names?.length ?? 0) > 0) {
        lines.push(`${spec}: ${probe.names?.length ?? 0} exports`)
      } else {
        ok = false
        lines.push(probe?.ok === true ? `${spec} loads but exports nothing` : `${spec} failed to load:`, ...(probe?.error ?? []).map((l) => `  ${l}`))
      }
    }
    return ok ? pass(name, 'import', lines) : fail(name, 'import', lines)
  })
}

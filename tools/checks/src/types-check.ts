/**
 * Type-checks `import * as m from '<entrypoint>'` for every entrypoint, in the scratch
 * project, with the workspace's own tsc under NodeNext and the strictest options we
 * build with. Library checking stays on, so an error inside a published .d.ts (a missing
 * module, a type that only existed in the workspace) fails here rather than for a user.
 */

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { run, tail } from './exec.js'
import { fail, pass } from './report.js'
import type { CheckResult } from './report.js'
import { STRICT_OPTIONS } from './strict-options.js'

const TSCONFIG = {
  compilerOptions: { ...STRICT_OPTIONS, skipLibCheck: false, noEmit: true },
  include: ['types']
}

/** One result per package, plus one for errors no package can be blamed for. */
export async function typesCheck (dir: string, tsc: string, entries: ReadonlyMap<string, readonly string[]>): Promise<CheckResult[]> {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2))
  mkdirSync(join(dir, 'types'), { recursive: true })
  const files = new Map<string, string>() // file -> package name
  for (const [name, specs] of entries) {
    for (const spec of specs) {
      if (spec.endsWith('.json')) continue // a data export: nothing to type-check
      const file = `types/${spec.replace(/^@/, '').replace(/\//g, '-')}.ts`
      files.set(file, name)
      writeFileSync(join(dir, file), probeSource(spec))
    }
  }
  const result = await run(tsc, ['-p', '.', '--pretty', 'false'], { cwd: dir, timeoutMs: 60_000 })
  const errors = result.stdout.split('\n').filter((line) => / error TS\d+:/.test(line))
  if (result.code !== 0 && errors.length === 0) return [fail('all', 'types', ['tsc failed without diagnostics:', ...tail(result)])]

  const blamed = new Set<string>()
  const results = [...entries.keys()].map((name) => {
    const mine = errors.filter((line) => {
      const file = line.slice(0, line.indexOf('('))
      return files.get(file) === name || file.startsWith(`node_modules/${name}/`)
    })
    for (const line of mine) blamed.add(line)
    return mine.length === 0 ? pass(name, 'types') : fail(name, 'types', mine)
  })
  const other = errors.filter((line) => !blamed.has(line))
  if (other.length > 0) results.push(fail('all', 'types', ['errors outside our packages:', ...other]))
  return results
}

// The namespace must resolve to real types: an `any` module (no .d.ts found) fails too.
function probeSource (spec: string): string {
  return [
    `import * as m from '${spec}'`,
    '',
    'type IsAny<T> = 0 extends 1 & T ? true : false',
    'export const resolvedToTypes: IsAny<typeof m> = false',
    'export const names: readonly string[] = Object.keys(m)',
    ''
  ].join('\n')
}

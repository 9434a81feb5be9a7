/**
 * Before anything is packed: every file a package's exports map points to must exist,
 * or the other checks would only be reporting a missing `pnpm build`.
 */

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fail, pass } from './report.js'
import type { CheckResult } from './report.js'

export function builtCheck (name: string, dir: string, manifest: Record<string, unknown>): CheckResult {
  const missing = exportTargets(manifest['exports']).filter((file) => !existsSync(join(dir, file)))
  if (missing.length === 0) return pass(name, 'built')
  return fail(name, 'built', [`missing ${missing.join(', ')}: run \`pnpm build\` (the other checks skip this package)`])
}

/** Every file path in an exports map (conditions and subpaths flattened; patterns left out). */
export function exportTargets (exports: unknown): string[] {
  if (typeof exports === 'string') return exports.includes('*') ? [] : [exports]
  if (Array.isArray(exports)) return exports.flatMap(exportTargets)
  if (typeof exports === 'object' && exports !== null) return Object.values(exports).flatMap(exportTargets)
  return []
}

/**
 * Packs a package with `pnpm pack`, which is what `pnpm publish` uploads: `files` applied
 * and `workspace:^` ranges rewritten to real versions.
 */

import { isAbsolute, join } from 'node:path'
import { run, tail } from './exec.js'

export type PackResult =
  | { readonly ok: true, readonly tarball: string, readonly files: readonly string[] }
  | { readonly ok: false, readonly details: string[] }

/** Packs the package in `pkgDir` into `destination`; returns the tarball's path and what it holds. */
export async function pack (pkgDir: string, destination: string): Promise<PackResult> {
  const result = await run('pnpm', ['pack', '--pack-destination', destination, '--json'], { cwd: pkgDir })
  if (result.code !== 0) return { ok: false, details: ['pnpm pack failed:', ...tail(result)] }
  const packed = parsePackOutput(result.stdout)
  if (packed === undefined) return { ok: false, details: ['pnpm pack printed no tarball name:', ...tail(result)] }
  const { filename, files } = packed
  return { ok: true, tarball: isAbsolute(filename) ? filename : join(destination, filename), files }
}

/**
 * pnpm pack --json prints one object with the tarball's `filename` and its `files`
 * ([{ path }], relative to the package); anything logged before it is skipped.
 */
export function parsePackOutput (stdout: string): { filename: string, files: string[] } | undefined {
  const start = stdout.indexOf('{')
  if (start === -1) return undefined
  try {
    const value: unknown = JSON.parse(stdout.slice(start))
    if (typeof value !== 'object' || value === null || !('filename' in value) || typeof value.filename !== 'string') return undefined
    const files = 'files' in value && Array.isArray(value.files) ? value.files : []
    return { filename: value.filename, files: files.map((f: { path?: unknown }) => String(f.path)) }
  } catch {}
  return undefined
}

/**
 * A scratch project that installs our tarballs the way a user would: npm, from the
 * packed files only, with third-party dependencies from the registry. Nothing in it can
 * see the workspace, so a missing file or a dependency that only resolves inside the
 * monorepo shows up here.
 */

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { run, tail } from './exec.js'

const INSTALL_TIMEOUT_MS = 120_000 // cold cache, native prebuilds; well above the usual ~10 s

export type InstallResult =
  | { readonly ok: true }
  | { readonly ok: false, readonly details: string[] }

/**
 * Creates an ESM project in `dir` and installs `tarballs` into it, plus @types/node at
 * the range the workspace uses, so the type check sees what a Node user has.
 */
export async function installConsumer (dir: string, tarballs: readonly string[], typesNode: string): Promise<InstallResult> {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'dht-consumer-check', private: true, type: 'module' }, null, 2))
  const args = ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', ...tarballs, `@types/node@${typesNode}`]
  const result = await run('npm', args, { cwd: dir, timeoutMs: INSTALL_TIMEOUT_MS })
  return result.code === 0 ? { ok: true } : { ok: false, details: ['npm install failed:', ...tail(result)] }
}

/** The import specifiers a package's exports map offers, without ./package.json or patterns. */
export function entrypoints (manifest: { readonly name?: unknown, readonly exports?: unknown }): string[] {
  const name = typeof manifest.name === 'string' ? manifest.name : ''
  const exports = manifest.exports
  if (typeof exports === 'string' || Array.isArray(exports)) return [name]
  if (typeof exports !== 'object' || exports === null) return [name]
  const keys = Object.keys(exports)
  // An exports object keyed by conditions rather than subpaths stands for '.'.
  if (!keys.some((key) => key.startsWith('.'))) return [name]
  return keys
    .filter((key) => key !== './package.json' && !key.includes('*'))
    .map((key) => key === '.' ? name : `${name}${key.slice(1)}`)
}

/** The installed package.json of `name` in the scratch project. */
export function installedManifest (dir: string, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as Record<string, unknown>
}

/**
 * Publishing with the project's own release command, `pnpm release` (build, then
 * `changeset publish`), pointed at the rehearsal's registry by the environment alone, and
 * checking that every public package arrived at its workspace version.
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { run, tail } from '@dht/checks/exec'
import { packageDirs } from '@dht/checks/repo'

const PUBLISH_TIMEOUT_MS = 180_000 // a build, then a pack and an upload for each package

export interface WorkspacePackage {
  readonly name: string
  readonly version: string
}

/** The packages `pnpm release` publishes: those under packages/ that are not private. */
export function publicPackages (root: string): WorkspacePackage[] {
  return packageDirs(root)
    .map((dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string, version: string, private?: boolean })
    .filter((manifest) => manifest.private !== true)
    .map(({ name, version }) => ({ name, version }))
}

/**
 * Refuses to publish unless npm and pnpm, in `env`, both name `registry`: a mistake in the
 * environment must not publish to the real registry.
 */
export async function checkPublishTarget (root: string, env: NodeJS.ProcessEnv, registry: string, scope: string, stop: AbortSignal): Promise<string[]> {
  const asked: Array<[string, string[]]> = [
    ['npm', ['config', 'get', 'registry']],
    ['npm', ['config', 'get', `${scope}:registry`]],
    ['pnpm', ['config', 'get', 'registry']],
    ['pnpm', ['config', 'get', `${scope}:registry`]]
  ]
  const answers = await Promise.all(asked.map(([file, args]) => run(file, args, { cwd: root, env, stop })))
  const wrong = answers
    .map((result, i) => ({ command: asked[i]!.flat().join(' '), answer: result.stdout.trim() }))
    .filter(({ answer }) => answer.replace(/\/?$/, '/') !== registry)
  if (wrong.length > 0) throw new Error(['not publishing: the registry is not the rehearsal\'s', ...wrong.map((w) => `${w.command}: ${w.answer}`)].join('\n'))
  return [`npm and pnpm publish to ${registry}`]
}

/** Runs `pnpm release` at the root of the workspace; git tags are left out, the rest is as released. */
export async function release (root: string, env: NodeJS.ProcessEnv, stop: AbortSignal): Promise<string[]> {
  const result = await run('pnpm', ['release', '--no-git-tag'], { cwd: root, env, timeoutMs: PUBLISH_TIMEOUT_MS, stop })
  if (result.code !== 0) throw new Error(['pnpm release failed:', ...tail(result, 25)].join('\n'))
  return ['pnpm release --no-git-tag: exit 0']
}

/** Checks that the registry holds each package at its workspace version, as `latest`. */
export async function checkPublished (registry: string, packages: readonly WorkspacePackage[]): Promise<string[]> {
  const problems: string[] = []
  for (const { name, version } of packages) {
    const response = await fetch(new URL(name.replace('/', '%2f'), registry))
    if (!response.ok) {
      problems.push(`${name}: HTTP ${response.status}`)
      continue
    }
    const packument = await response.json() as { 'dist-tags'?: Record<string, string>, versions?: Record<string, unknown> }
    if (packument.versions?.[version] === undefined) problems.push(`${name}@${version} is not there`)
    else if (packument['dist-tags']?.['latest'] !== version) problems.push(`${name}: latest is ${packument['dist-tags']?.['latest'] ?? 'unset'}, not ${version}`)
  }
  if (problems.length > 0) throw new Error(['missing from the registry after pnpm release:', ...problems].join('\n'))
  return [packages.map((p) => `${p.name}@${p.version}`).join(', ')]
}

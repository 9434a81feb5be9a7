/**
 * The throwaway configuration of a rehearsal: Verdaccio's config file, and the npm config
 * and environment that every npm and pnpm the rehearsal starts runs with, so that they
 * reach the rehearsal's registry and nothing else.
 */

import { join } from 'node:path'

export interface RegistryConfig {
  /** Where the registry keeps its packages and users; a temporary folder. */
  readonly dir: string
  /** The scope published here, `@dht`: its packages come from this registry only. */
  readonly scope: string
  /**
   * The registry other packages are fetched from, through this one (a user's dependencies
   * of ours come from npm too), or null for none.
   */
  readonly uplink: string | null
}

/**
 * Verdaccio's config.yaml. The scope has no proxy: a package of ours that was not
 * published to this registry is not found, rather than fetched from the uplink, so what
 * installs is what `pnpm release` published. Strings are written as JSON, which YAML reads.
 */
export function verdaccioConfig (config: RegistryConfig): string {
  const lines = [
    `storage: ${JSON.stringify(join(config.dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(config.dir, 'htpasswd'))}`,
    '    max_users: 1'
  ]
  if (config.uplink !== null) lines.push('uplinks:', '  upstream:', `    url: ${JSON.stringify(config.uplink)}`)
  lines.push(
    'packages:',
    `  ${JSON.stringify(`${config.scope}/*`)}:`,
    '    access: $all',
    '    publish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated'
  )
  if (config.uplink !== null) lines.push('    proxy: upstream')
  lines.push(
    'web:',
    '  enable: false',
    'log:',
    '  type: stdout',
    '  format: pretty',
    '  level: warn',
    ''
  )
  return lines.join('\n')
}

/** An npmrc that names `registry` for everything and for `scope`, with a token for it if given. */
export function npmrc (registry: string, scope: string, token: string | null): string {
  const lines = [`registry=${registry}`, `${scope}:registry=${registry}`]
  if (token !== null) {
    const url = new URL(registry)
    lines.push(`//${url.host}${url.pathname}:_authToken=${token}`)
  }
  return lines.join('\n') + '\n'
}

export interface NpmFiles {
  /** The npmrc to use as the user's (npmrc() output). */
  readonly userconfig: string
  /** An empty file: the machine's global npmrc is not read. */
  readonly globalconfig: string
  /** A fresh cache, so nothing installs from an earlier run or another registry. */
  readonly cache: string
}

// What the environment may carry that points npm or pnpm elsewhere: npm_config_* (pnpm run
// sets some for its scripts, CI sets others), pnpm_config_*, and registry tokens.
const INHERITED = /^(npm_config_|pnpm_config_)|^(NPM_TOKEN|NODE_AUTH_TOKEN)$/i

/**
 * `base` without any npm or pnpm configuration it carried, plus ours. Configuration in the
 * environment wins over every npmrc, so it must go, or a registry set by a parent process
 * (or by pnpm for `pnpm release:rehearse`) would be used instead of ours.
 */
export function npmEnv (base: NodeJS.ProcessEnv, registry: string, files: NpmFiles): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(base)) if (!INHERITED.test(key)) env[key] = value
  return {
    ...env,
    npm_config_registry: registry,
    npm_config_userconfig: files.userconfig,
    npm_config_globalconfig: files.globalconfig,
    npm_config_cache: files.cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false'
  }
}

/**
 * The packages of a package-lock.json (v2 or v3) in `scope` that were not resolved from
 * `registry`, as `name: where from`. Empty when every one came from the rehearsal's registry.
 */
export function foreignSources (lock: unknown, scope: string, registry: string): string[] {
  const packages = typeof lock === 'object' && lock !== null && 'packages' in lock ? lock.packages : undefined
  if (typeof packages !== 'object' || packages === null) return ['package-lock.json lists no packages']
  const foreign: string[] = []
  for (const [path, entry] of Object.entries(packages as Record<string, { resolved?: unknown, link?: unknown }>)) {
    const at = path.lastIndexOf(`node_modules/${scope}/`)
    if (at === -1) continue
    const name = path.slice(at + 'node_modules/'.length)
    const resolved = typeof entry.resolved === 'string' ? entry.resolved : entry.link === true ? 'a link' : 'nowhere recorded'
    if (!resolved.startsWith(registry)) foreign.push(`${name}: ${resolved}`)
  }
  return foreign
}

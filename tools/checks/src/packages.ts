/**
 * The published-package check. For each package under packages/ (or those named on the
 * command line: `node tools/checks/dist/src/packages.js wire io`):
 *
 *   built    every file its exports map points to exists (run `pnpm build` first)
 *   publint  publint on the package folder
 *   attw     Are the Types Wrong? on the `pnpm pack` tarball, esm-only profile
 *   docs     the files its README.md and other shipped Markdown link to, or tell a user
 *            to run with `node`, are in the tarball
 *   import   the tarball, npm-installed in a scratch project, loads under Node ESM and
 *            every entrypoint exports something
 *   types    `import * as m from '<entrypoint>'` type-checks there under NodeNext
 *   exports  its README.md names, as code, every export of every entrypoint (readme-exports.ts)
 *
 * Prints one line per package and check, exits 1 on any failure, and removes its
 * temporary folder on the way out. Options: `--root <dir>` checks another workspace
 * (the tests' fixtures); `--keep` leaves the temporary folder and prints where it is;
 * `--skip-exports wire,table` leaves those packages out of the exports check only (for a
 * README being rewritten: it is a flag of one run, not a list kept in the repository).
 */

import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { attwCheck } from './attw-check.js'
import { builtCheck } from './built-check.js'
import { entrypoints, installConsumer, installedManifest } from './consumer.js'
import { docsCheck } from './docs-check.js'
import { pack } from './pack.js'
import { publintCheck } from './publint-check.js'
import { readmeExportsCheck } from './readme-exports.js'
import { fail, pass } from './report.js'
import type { CheckResult } from './report.js'
import { packageDirs, repoRootOf } from './repo.js'
import { runChecks } from './run-checks.js'
import { runtimeCheck } from './runtime-check.js'
import { typesCheck } from './types-check.js'

interface Target {
  readonly name: string // @dht/wire
  readonly dir: string // absolute
  readonly manifest: Record<string, unknown>
}

const options = parseArgs(process.argv.slice(2))
const home = repoRootOf(import.meta.url) // where tsc and the @types/node range come from
const root = options.root ?? home // the workspace whose packages are checked
await runChecks('dht-packages-', options.keep, (tmp) => checkAll(selectTargets(options.names), options.skipExports, tmp))

function parseArgs (args: readonly string[]): { root: string | undefined, keep: boolean, names: string[], skipExports: Set<string> } {
  const names: string[] = []
  const skipExports = new Set<string>()
  let root: string | undefined
  let keep = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === '--keep') keep = true
    else if (arg === '--root') root = resolve(args[++i] ?? '.')
    else if (arg === '--skip-exports') for (const n of (args[++i] ?? '').split(',')) skipExports.add(fullName(n.trim()))
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`)
    else names.push(arg)
  }
  return { root, keep, names, skipExports }
}

// `wire` is short for `@dht/wire`.
function fullName (name: string): string {
  return name.startsWith('@') ? name : `@dht/${name}`
}

function selectTargets (names: readonly string[]): Target[] {
  const all = packageDirs(root).map((dir) => {
    const abs = join(root, dir)
    const manifest = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8')) as Record<string, unknown>
    return { name: String(manifest['name']), dir: abs, manifest }
  })
  if (names.length === 0) return all
  const wanted = new Set(names.map(fullName))
  const unknown = [...wanted].filter((n) => !all.some((t) => t.name === n))
  if (unknown.length > 0) throw new Error(`no such package: ${unknown.join(', ')}`)
  return all.filter((t) => wanted.has(t.name))
}

async function checkAll (targets: readonly Target[], skipExports: ReadonlySet<string>, tmp: string): Promise<CheckResult[]> {
  const tarballDir = join(tmp, 'tarballs')
  const consumerDir = join(tmp, 'consumer')
  mkdirSync(tarballDir)
  mkdirSync(consumerDir)

  const built = targets.map((t) => builtCheck(t.name, t.dir, t.manifest))
  const ready = targets.filter((_, i) => built[i]?.ok === true)
  const unknownSkips = [...skipExports].filter((name) => !targets.some((t) => t.name === name))
  if (unknownSkips.length > 0) throw new Error(`--skip-exports: not a checked package: ${unknownSkips.join(', ')}`)
  const exported = ready.filter((t) => !skipExports.has(t.name)).map((t) => readmeExportsCheck(t.name, t.dir, t.manifest))
  const packs = ready.map(async (t) => ({ target: t, packed: await pack(t.dir, tarballDir) }))

  const perPackage = ready.map(async (t, i) => {
    const [lint, packed] = await Promise.all([publintCheck(t.name, t.dir), packs[i]])
    if (packed === undefined || !packed.packed.ok) return [lint, fail(t.name, 'pack', packed?.packed.ok === false ? packed.packed.details : [])]
    return [lint, docsCheck(t.name, t.dir, packed.packed.files), await attwCheck(t.name, packed.packed.tarball)]
  })
  const consumer = (async () => consumerChecks(await Promise.all(packs), consumerDir))()

  const byPackage = await Promise.all(perPackage)
  const consumerResults = await consumer
  const order = new Map(targets.map((t, i) => [t.name, i]))
  return [
    ...built,
    ...exported,
    ...byPackage.flat(),
    ...consumerResults
  ].sort((a, b) => (order.get(a.pkg) ?? order.size) - (order.get(b.pkg) ?? order.size))
}

async function consumerChecks (packs: readonly { target: Target, packed: Awaited<ReturnType<typeof pack>> }[], dir: string): Promise<CheckResult[]> {
  const tarballs = new Map<string, string>()
  for (const { target, packed } of packs) if (packed.ok) tarballs.set(target.name, packed.tarball)

  // A package whose @dht dependencies are not among the tarballs would be fetched from
  // the registry under our name; leave it out instead.
  const results: CheckResult[] = []
  const installable = [...tarballs.keys()].filter((name) => {
    const manifest = packs.find((p) => p.target.name === name)?.target.manifest ?? {}
    const missing = Object.keys(asRecord(manifest['dependencies'])).filter((dep) => dep.startsWith('@dht/') && !tarballs.has(dep))
    if (missing.length > 0) results.push(fail(name, 'import', [`not installed: needs ${missing.join(', ')}, which ${missing.length === 1 ? 'was' : 'were'} not packed (check it too, or all packages)`]))
    return missing.length === 0
  })
  if (installable.length === 0) return results

  const rootManifest = JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')) as Record<string, unknown>
  const typesNode = asRecord(rootManifest['devDependencies'])['@types/node'] ?? '*'
  const started = Date.now()
  const installed = await installConsumer(dir, installable.map((name) => tarballs.get(name) ?? ''), typesNode)
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (!installed.ok) return [...results, fail('all', 'npm install', installed.details)]
  results.push(pass('all', 'npm install', [`${installable.length} tarballs into a scratch project in ${seconds} s`]))

  const entries = new Map(installable.map((name) => [name, entrypoints(installedManifest(dir, name))]))
  const tsc = join(home, 'node_modules', '.bin', 'tsc')
  const [runtime, types] = await Promise.all([runtimeCheck(dir, entries), typesCheck(dir, tsc, entries)])
  return [...results, ...runtime, ...types]
}

function asRecord (value: unknown): Record<string, string> {
  return typeof value === 'object' && value !== null ? value as Record<string, string> : {}
}

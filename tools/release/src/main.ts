/**
 * The release rehearsal: the release, proved the way users get it. It starts a throwaway
 * npm registry (Verdaccio, on 127.0.0.1, config and storage in a temporary folder),
 * publishes every package to it with the project's own `pnpm release`, then, in scratch
 * projects outside the repository whose npm reaches only that registry:
 *
 *   install   `npm install @dht/rpc`; every @dht package from that registry, at its
 *             workspace version
 *   modules   `import DHT from '@dht/rpc'` and `require('@dht/rpc')` give the class
 *   types     a strict TypeScript program (NodeNext, ESM and CommonJS) type-checks and runs
 *   example   examples/network.mjs, from the installed package
 *   cli       `npx dht-rpc --version`, `npx dht-rpc demo --nodes 20`
 *   wire      in a second project, `npm install @dht/wire` alone, and a message round trip
 *
 * Our scope has no uplink: a package of ours can only come from what `pnpm release`
 * published. Third-party dependencies (compact-encoding, sodium-native, …) come through
 * the registry from npm's own (`npm config get registry`, or --uplink URL), as a user's do.
 * The registry is stopped and the temporary folder removed on the way out, failed or not.
 * Options: `--uplink <url>`, `--keep` (leave the folder and say where).
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { run } from '@dht/checks/exec'
import { repoRootOf } from '@dht/checks/repo'
import { npmEnv, npmrc } from './config.js'
import type { NpmFiles } from './config.js'
import { checkCli, checkExample, checkModules, checkTypeScript, checkWireAlone, createProject, install } from './project.js'
import type { Project } from './project.js'
import { checkPublished, checkPublishTarget, publicPackages, release } from './publish.js'
import { addUser, lastLines, startRegistry } from './registry.js'
import type { Registry } from './registry.js'

const SCOPE = '@dht'
const USER = 'rehearsal' // the registry's only user, who publishes

/** A step that failed, and said why: nothing more to print. */
class StepFailed extends Error {}

const options = parseArgs(process.argv.slice(2))
const root = repoRootOf(import.meta.url)
const tmp = mkdtempSync(join(tmpdir(), 'dht-release-'))
const running: { registry?: Registry } = {} // what cleanup stops
const interrupted = new AbortController() // ends the programs still running (npm, pnpm release)

// once, whether the rehearsal ends or a signal ends it first
let cleaning: Promise<void> | undefined
const cleanup = (): Promise<void> => {
  cleaning ??= (async () => {
    interrupted.abort()
    await running.registry?.stop()
    if (options.keep) console.log(`kept ${tmp}`)
    else rmSync(tmp, { recursive: true, force: true })
  })()
  return cleaning
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130))
  })
}

const started = performance.now()
try {
  await rehearse()
  console.log(`\nrehearsal passed in ${seconds(started)} s`)
} catch (err) {
  if (!(err instanceof StepFailed)) console.error(err)
  if (running.registry !== undefined) console.error(`\nVerdaccio's log, last lines:\n${lastLines(running.registry.logFile)}`)
  console.error(`\nrehearsal FAILED after ${seconds(started)} s`)
  process.exitCode = 1
} finally {
  await cleanup()
}

async function rehearse (): Promise<void> {
  const workspace = publicPackages(root)
  const rpc = workspace.find((p) => p.name === `${SCOPE}/rpc`)
  if (rpc === undefined) throw new Error(`no ${SCOPE}/rpc in ${root}/packages`)
  const uplink = options.uplink ?? await ambientRegistry()

  const dirs = { registry: join(tmp, 'registry'), npm: join(tmp, 'npm') }
  for (const dir of Object.values(dirs)) mkdirSync(dir)
  const files: NpmFiles = { userconfig: join(dirs.npm, 'publisher.npmrc'), globalconfig: join(dirs.npm, 'global.npmrc'), cache: join(dirs.npm, 'cache') }
  writeFileSync(files.globalconfig, '')

  let publisher: NodeJS.ProcessEnv = {}
  let url = ''
  await step('registry', async () => {
    running.registry = await startRegistry({ dir: dirs.registry, scope: SCOPE, uplink })
    url = running.registry.url
    const token = await addUser(url, USER, `${USER}-${process.pid}-${Date.now()}`)
    writeFileSync(files.userconfig, npmrc(url, SCOPE, token))
    publisher = npmEnv(process.env, url, files)
    return [`Verdaccio at ${url}; ${SCOPE}/* only from it, other packages through it from ${uplink}`, ...await checkPublishTarget(root, publisher, url, SCOPE, interrupted.signal)]
  })
  await step('publish', async () => [...await release(root, publisher, interrupted.signal), ...await checkPublished(url, workspace)])

  // The users: npm config with the registry and no token, and a cache of their own.
  const userFiles: NpmFiles = { ...files, userconfig: join(dirs.npm, 'user.npmrc') }
  writeFileSync(userFiles.userconfig, npmrc(url, SCOPE, null))
  const userEnv = npmEnv(process.env, url, userFiles)
  const app: Project = { dir: join(tmp, 'app'), env: userEnv, registry: url, scope: SCOPE, stop: interrupted.signal }
  createProject(app, 'rehearsal-app')
  await step('install', async () => [`npm install ${SCOPE}/rpc: ${(await install(app, [`${SCOPE}/rpc`], workspace)).join(', ')}`])
  await step('modules', () => checkModules(app))
  await step('types', () => checkTypeScript(app, join(root, 'node_modules', '.bin', 'tsc'), typesNodeRange()))
  await step('example', () => checkExample(app))
  await step('cli', () => checkCli(app, rpc.version))

  const codec: Project = { ...app, dir: join(tmp, 'codec') }
  createProject(codec, 'rehearsal-codec')
  await step('wire', async () => {
    const installed = await install(codec, [`${SCOPE}/wire`], workspace)
    return [`npm install ${SCOPE}/wire: ${installed.join(', ')}`, ...await checkWireAlone(codec, installed)]
  })
}

/** Runs one step, printing `ok` or `FAIL` with its time and notes; a failure ends the rehearsal. */
async function step (name: string, work: () => Promise<string[]>): Promise<void> {
  const begin = performance.now()
  try {
    const notes = await work()
    console.log([`ok    ${name.padEnd(8)} ${seconds(begin)} s`, ...notes.map((line) => `        ${line}`)].join('\n'))
  } catch (err) {
    const lines = (err instanceof Error ? err.message : String(err)).split('\n')
    console.log([`FAIL  ${name.padEnd(8)} ${seconds(begin)} s`, ...lines.map((line) => `        ${line}`)].join('\n'))
    throw new StepFailed(name)
  }
}

// The registry npm uses here (the machine's or the CI's, perhaps a mirror), asked with the
// environment as it is: that is where a user's npm would fetch our dependencies from.
async function ambientRegistry (): Promise<string> {
  const result = await run('npm', ['config', 'get', 'registry'], { cwd: tmp, stop: interrupted.signal })
  const url = result.stdout.trim()
  return result.code === 0 && /^https?:\/\//.test(url) ? url : 'https://registry.npmjs.org/'
}

// The @types/node range the workspace builds against: what a Node 20 user has.
function typesNodeRange (): string {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }
  return manifest.devDependencies?.['@types/node'] ?? '*'
}

function seconds (since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1)
}

function parseArgs (args: readonly string[]): { uplink: string | undefined, keep: boolean } {
  let uplink: string | undefined
  let keep = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === '--keep') keep = true
    else if (arg === '--uplink') uplink = args[++i]
    else throw new Error(`unknown argument ${arg}`)
  }
  return { uplink, keep }
}

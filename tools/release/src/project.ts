/**
 * Scratch projects outside the repository that install our packages the way a user does,
 * `npm install @dht/rpc`, from the rehearsal's registry, and use them: import and
 * require, a strict TypeScript program, an example shipped in the package, the CLI
 * through npx, and @dht/wire on its own.
 */

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { run, tail } from '@dht/checks/exec'
import type { RunResult } from '@dht/checks/exec'
import { STRICT_OPTIONS } from '@dht/checks/strict-options'
import { foreignSources } from './config.js'
import type { WorkspacePackage } from './publish.js'

const INSTALL_TIMEOUT_MS = 180_000 // a cold cache: every dependency through the registry's uplink
const RUN_TIMEOUT_MS = 60_000 // every program here ends by itself; one that hangs fails its step

/** A scratch project: its folder and the environment its npm runs with. */
export interface Project {
  readonly dir: string
  readonly env: NodeJS.ProcessEnv
  readonly registry: string
  readonly scope: string
  /** Ends whatever the project is running (the rehearsal was interrupted). */
  readonly stop: AbortSignal
}

/** Creates the project folder with a package.json, as `npm init` would, ESM. */
export function createProject (project: Project, name: string): void {
  mkdirSync(project.dir, { recursive: true })
  writeFileSync(join(project.dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type: 'module' }, null, 2) + '\n')
}

/**
 * `npm install <specs>`, then checks that every package of our scope came from the
 * rehearsal's registry at its workspace version. Returns the scope's packages installed.
 */
export async function install (project: Project, specs: readonly string[], workspace: readonly WorkspacePackage[]): Promise<string[]> {
  expectSuccess(`npm install ${specs.join(' ')}`, await npm(project, ['install', ...specs]))
  const lock = JSON.parse(readFileSync(join(project.dir, 'package-lock.json'), 'utf8')) as unknown
  const foreign = foreignSources(lock, project.scope, project.registry)
  if (foreign.length > 0) throw new Error(['installed from somewhere else than the rehearsal\'s registry:', ...foreign].join('\n'))
  const installed = installedInScope(project)
  const wrong = installed.flatMap((name) => {
    const { version } = JSON.parse(readFileSync(join(project.dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
    const expected = workspace.find((p) => p.name === name)?.version
    return version === expected ? [] : [`${name}@${version}, the workspace has ${expected ?? 'no such package'}`]
  })
  if (wrong.length > 0) throw new Error(['installed versions differ from the workspace:', ...wrong].join('\n'))
  return installed
}

/** The packages of our scope in node_modules, as names. */
export function installedInScope (project: Project): string[] {
  const dir = join(project.dir, 'node_modules', project.scope)
  return readdirSync(dir).sort().map((entry) => `${project.scope}/${entry}`)
}

// Both module systems, in files of the project: the default import, the named export,
// require() (Node 20.19 and later load ES modules with it), and that all three are one class.
const IMPORT_PROBE = `import DHT, { DHT as Named } from '@dht/rpc'
import { createRequire } from 'node:module'
const required = createRequire(import.meta.url)('@dht/rpc')
if (typeof DHT !== 'function' || DHT.name !== 'DHT') throw new Error('import DHT from @dht/rpc is ' + typeof DHT)
if (Named !== DHT) throw new Error('the named DHT export is not the default export')
if (required !== DHT) throw new Error('require() from ESM gives another value than import')
console.log('import: the DHT class')
`
const REQUIRE_PROBE = `const DHT = require('@dht/rpc')
if (typeof DHT !== 'function' || DHT.name !== 'DHT') throw new Error("require('@dht/rpc') is " + typeof DHT + ': ' + Object.keys(DHT).join(', '))
const node = new DHT({ bootstrap: false })
node.destroy().then(() => import('@dht/rpc')).then((ns) => {
  if (ns.default !== DHT) throw new Error('require and import give different classes')
  console.log('require: the DHT class')
})
`

/** `import DHT from '@dht/rpc'` and `const DHT = require('@dht/rpc')` both give the class. */
export async function checkModules (project: Project): Promise<string[]> {
  writeFileSync(join(project.dir, 'import-probe.mjs'), IMPORT_PROBE)
  writeFileSync(join(project.dir, 'require-probe.cjs'), REQUIRE_PROBE)
  return runEach(project, ['import-probe.mjs', 'require-probe.cjs'])
}

// A program a TypeScript user could write, checked with the strictest options we build
// with, in both module systems; then run, so the types describe what really happens.
const TS_ESM = `import DHT from '@dht/rpc'
import type { DHTReply, DHTRequest } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { createHash } from 'node:crypto'

const testnet = await createTestnet(5)
const node = new DHT({ bootstrap: testnet.bootstrap, ephemeral: true })
for (const peer of testnet.nodes) {
  peer.on('request', (req: DHTRequest) => {
    // values and targets are Buffers, in the types as at run time
    const key: string | undefined = req.target?.toString('hex')
    if (req.command === 'echo' && key !== undefined) req.reply(req.value)
  })
}
const target: Buffer = createHash('sha256').update('types').digest()
const replies: DHTReply[] = []
for await (const reply of node.query(target, 'echo', Buffer.from('hi'))) replies.push(reply)
const echoed: string = replies[0]?.value?.toString('utf8') ?? ''
if (echoed !== 'hi') throw new Error('echo: ' + echoed)
const pong = await node.ping(testnet.bootstrap[0]!)
const id: Uint8Array | null = pong.id
await node.destroy()
await testnet.destroy()
if (replies.length === 0) throw new Error('no replies')
console.log(\`typescript (ESM): \${replies.length} replies, the bootstrap node's id is \${String(id)}\`)
`
const TS_CJS = `import DHT = require('@dht/rpc')

const node: InstanceType<typeof DHT> = new DHT({ bootstrap: false })
void node.destroy().then(() => console.log('typescript (CommonJS): new DHT() from require'))
`
const TSCONFIG = {
  compilerOptions: { ...STRICT_OPTIONS, skipLibCheck: false, rootDir: 'src', outDir: 'out' }, // our .d.ts files are checked too
  include: ['src']
}

/**
 * A strict TypeScript project that uses the API: type-checked with `tsc` (the workspace's
 * compiler: what is tested is our published types as a user's project resolves them, not
 * an install of TypeScript) against @types/node from the registry, then run.
 */
export async function checkTypeScript (project: Project, tsc: string, typesNode: string): Promise<string[]> {
  expectSuccess(`npm install @types/node@${typesNode}`, await npm(project, ['install', '--save-dev', `@types/node@${typesNode}`]))
  mkdirSync(join(project.dir, 'src'), { recursive: true })
  writeFileSync(join(project.dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2))
  writeFileSync(join(project.dir, 'src', 'esm.ts'), TS_ESM)
  writeFileSync(join(project.dir, 'src', 'cjs.cts'), TS_CJS)
  expectSuccess('tsc', await run(tsc, ['-p', '.', '--pretty', 'false'], { cwd: project.dir, env: project.env, timeoutMs: RUN_TIMEOUT_MS, stop: project.stop }))
  return runEach(project, ['out/esm.js', 'out/cjs.cjs'])
}

/** An example shipped in the package runs from where npm put it, and ends by itself. */
export async function checkExample (project: Project): Promise<string[]> {
  const example = 'node_modules/@dht/rpc/examples/network.mjs'
  const result = await node(project, [example, '20'])
  expectSuccess(`node ${example} 20`, result)
  if (!/network destroyed\n$/.test(result.stdout)) throw new Error(`${example} did not finish:\n${result.stdout}`)
  return [`node ${example} 20: ${result.stdout.split('\n')[0] ?? ''}`]
}

/**
 * The dht-rpc command through npx, typed as a user types it. npx runs with `yes` off: if
 * the package's bin were missing, npx would otherwise fetch an unscoped package named
 * dht-rpc from the registry's uplink (the option as config, not `--no`: an npx option
 * before the command makes npx take `--version` after it as its own).
 */
export async function checkCli (project: Project, version: string): Promise<string[]> {
  const shown = await npx(project, ['--version'])
  expectSuccess('npx dht-rpc --version', shown)
  if (shown.stdout.trim() !== version) throw new Error(`npx dht-rpc --version printed ${JSON.stringify(shown.stdout.trim())}, not ${version}`)
  const demo = await npx(project, ['demo', '--nodes', '20'])
  expectSuccess('npx dht-rpc demo --nodes 20', demo)
  const done = demo.stdout.trimEnd().split('\n').at(-1) ?? ''
  if (!/the value was found/.test(done)) throw new Error(`the demo did not find its value:\n${demo.stdout}`)
  return [`npx dht-rpc --version: ${version}`, `npx dht-rpc demo --nodes 20: ${done}`]
}

// A ping request, encoded and decoded again: the codec works without the rest of @dht.
const WIRE_PROBE = `import { decode, encodeRequest, id } from '@dht/wire'
const target = id('127.0.0.1', 49737)
const datagram = encodeRequest({ tid: 7, to: { host: '127.0.0.1', port: 49737 }, id: null, token: null, target, command: 'find_node', value: null })
const m = decode(datagram)
if (m.type !== 'request' || m.tid !== 7 || m.command !== 'find_node' || !Buffer.from(m.target).equals(Buffer.from(target))) {
  throw new Error('decoded ' + JSON.stringify(m))
}
console.log('@dht/wire: a find_node request of ' + datagram.byteLength + ' bytes, decoded back')
`

/** @dht/wire alone: nothing else of ours installed, and a message encodes and decodes. */
export async function checkWireAlone (project: Project, installed: readonly string[]): Promise<string[]> {
  const others = installed.filter((name) => name !== `${project.scope}/wire`)
  if (others.length > 0) throw new Error(`installing @dht/wire also installed ${others.join(', ')}`)
  writeFileSync(join(project.dir, 'wire-probe.mjs'), WIRE_PROBE)
  const result = await node(project, ['wire-probe.mjs'])
  expectSuccess('node wire-probe.mjs', result)
  return [result.stdout.trim()]
}

/** Runs each program in the project, one after the other; returns what each printed. */
async function runEach (project: Project, files: readonly string[]): Promise<string[]> {
  const printed: string[] = []
  for (const file of files) {
    const result = await node(project, [file])
    expectSuccess(`node ${file}`, result)
    printed.push(result.stdout.trim())
  }
  return printed
}

function npm (project: Project, args: readonly string[]): Promise<RunResult> {
  return run('npm', args, { cwd: project.dir, env: project.env, timeoutMs: INSTALL_TIMEOUT_MS, stop: project.stop })
}

function npx (project: Project, args: readonly string[]): Promise<RunResult> {
  return run('npx', ['dht-rpc', ...args], { cwd: project.dir, env: { ...project.env, npm_config_yes: 'false' }, timeoutMs: RUN_TIMEOUT_MS, stop: project.stop })
}

function node (project: Project, args: readonly string[]): Promise<RunResult> {
  return run(process.execPath, args, { cwd: project.dir, env: project.env, timeoutMs: RUN_TIMEOUT_MS, stop: project.stop })
}

function expectSuccess (what: string, result: RunResult): void {
  if (result.code !== 0) throw new Error([`${what} failed (exit ${result.code ?? result.error ?? '?'}):`, ...tail(result, 20)].join('\n'))
}

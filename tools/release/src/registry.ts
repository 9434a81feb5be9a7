/**
 * A Verdaccio registry on 127.0.0.1, in a process of its own, with its config, storage and
 * log in a folder the caller owns and removes. stop() ends the process by its id.
 */

import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { verdaccioConfig } from './config.js'
import type { RegistryConfig } from './config.js'

const READY_TIMEOUT_MS = 30_000 // room for a cold start on a slow machine
const POLL_MS = 100
const STOP_GRACE_MS = 5_000 // then SIGKILL

export interface Registry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string
  /** Verdaccio's output, for a failure report. */
  readonly logFile: string
  stop (): Promise<void>
}

export async function startRegistry (config: RegistryConfig): Promise<Registry> {
  const configFile = join(config.dir, 'config.yaml')
  const logFile = join(config.dir, 'verdaccio.log')
  writeFileSync(configFile, verdaccioConfig(config))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/`
  const log = openSync(logFile, 'a')
  const child = spawn(process.execPath, [verdaccioBin(), '--config', configFile, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', log, log]
  })
  closeSync(log)
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve()) // could not start: waitUntilReady says so
  })
  // should this process end without stopping it (an uncaught error), it goes too
  const orphaned = (): void => { child.kill('SIGKILL') }
  process.once('exit', orphaned)
  void exited.then(() => process.off('exit', orphaned))
  const registry: Registry = { url, logFile, stop: () => stop(child, exited) }
  try {
    await waitUntilReady(url, exited)
  } catch (err) {
    await registry.stop()
    throw new Error(`${(err as Error).message}\n${lastLines(logFile)}`)
  }
  return registry
}

/** Adds a user the way `npm adduser` does; resolves with its token. */
export async function addUser (registry: string, name: string, password: string): Promise<string> {
  const response = await fetch(new URL(`-/user/org.couchdb.user:${encodeURIComponent(name)}`, registry), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password })
  })
  const body = await response.json() as { token?: unknown, error?: unknown }
  if (!response.ok || typeof body.token !== 'string') throw new Error(`adding user ${name}: HTTP ${response.status} ${String(body.error ?? '')}`)
  return body.token
}

/** The last lines of a file, indented, for a failure report. */
export function lastLines (file: string, count = 15): string {
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {}
  return text.trimEnd().split('\n').slice(-count).map((line) => `  ${line}`).join('\n')
}

function verdaccioBin (): string {
  const manifest = fileURLToPath(import.meta.resolve('verdaccio/package.json'))
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string }
  return join(dirname(manifest), bin)
}

// A port the system hands out and takes back at once: another program could take it in
// between, and then Verdaccio fails to start and says so.
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (typeof address !== 'object' || address === null) throw new Error('no free port')
  return address.port
}

async function waitUntilReady (url: string, exited: Promise<void>): Promise<void> {
  let gone = false
  void exited.then(() => { gone = true })
  const end = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < end) {
    if (gone) throw new Error('Verdaccio exited before it answered')
    try {
      const response = await fetch(new URL('-/ping', url))
      if (response.ok) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error(`Verdaccio did not answer at ${url} within ${READY_TIMEOUT_MS / 1000} s`)
}

async function stop (child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  await exited
  clearTimeout(timer)
}

// Child processes for tests that run a script or the CLI as a user would: collect what it
// prints, wait for a line, send it signals. Every child is killed when its test ends.
import { spawn } from 'node:child_process'
import type { ChildProcessByStdio } from 'node:child_process'
import dgram from 'node:dgram'
import type { Readable } from 'node:stream'
import type { TestContext } from 'node:test'

const DEFAULT_WAIT_MS = 15_000

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export class Child {
  readonly process: ChildProcessByStdio<null, Readable, Readable>
  stdout = ''
  stderr = ''
  /** Resolves when the process has exited and its output is read to the end. */
  readonly exited: Promise<Exit>

  constructor (t: TestContext, args: readonly string[]) {
    this.process = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    this.process.stdout.on('data', (chunk: Buffer) => { this.stdout += chunk.toString() })
    this.process.stderr.on('data', (chunk: Buffer) => { this.stderr += chunk.toString() })
    this.exited = new Promise((resolve) => {
      this.process.on('close', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }))
    })
    t.after(() => {
      if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL')
    })
  }

  /** Waits until stdout (or stderr) matches `pattern`; fails with the output so far if it never does. */
  async waitFor (pattern: RegExp, ms = DEFAULT_WAIT_MS, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpMatchArray> {
    const end = Date.now() + ms
    for (;;) {
      const match = pattern.exec(this[stream])
      if (match !== null) return match
      if (this.process.exitCode !== null || Date.now() > end) {
        throw new Error(`${stream} never matched ${String(pattern)}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  /** Sends `signal` and waits for the exit. */
  async stop (signal: NodeJS.Signals): Promise<Exit> {
    this.process.kill(signal)
    return this.exited
  }
}

/** Runs a node script to its end (killed after `ms`). */
export async function run (t: TestContext, args: readonly string[], ms = 30_000): Promise<Exit> {
  const child = new Child(t, args)
  const timer = setTimeout(() => child.process.kill('SIGKILL'), ms)
  const exit = await child.exited
  clearTimeout(timer)
  return exit
}

/** True when a UDP socket can bind `host:port`, which is then released at once. */
export async function portIsFree (host: string, port: number): Promise<boolean> {
  const socket = dgram.createSocket('udp4')
  return new Promise((resolve) => {
    socket.once('error', () => {
      socket.close()
      resolve(false)
    })
    socket.bind(port, host, () => socket.close(() => resolve(true)))
  })
}

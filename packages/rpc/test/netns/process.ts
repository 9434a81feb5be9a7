// Processes inside a namespace (`ip netns exec <ns> ...`) that speak one JSON object per line:
// the node processes of fixtures/node-process.ts and the impairment of fixtures/impair.ts.
import { spawn } from 'node:child_process'
import type { ChildProcessByStdio } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { Command, NodeConfig, Results } from './protocol.js'

export const NODE_PROCESS = fileURLToPath(new URL('./fixtures/node-process.js', import.meta.url))
export const IMPAIR_PROCESS = fileURLToPath(new URL('./fixtures/impair.js', import.meta.url))

const START_MS = 30_000

export class LineProcess {
  readonly name: string
  readonly process: ChildProcessByStdio<Writable, Readable, Readable>
  stderr = ''
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (line: Record<string, unknown>) => void, reject: (err: Error) => void }>()
  private readonly first: Promise<Record<string, unknown>>
  private exitError: Error | null = null

  /** Starts `command` in namespace `ns`; `name` labels its errors. */
  constructor (name: string, ns: string, command: readonly string[]) {
    this.name = name
    this.process = spawn('ip', ['netns', 'exec', ns, ...command], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.process.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
      if (this.stderr.length > 20_000) this.stderr = this.stderr.slice(-10_000)
    })
    this.process.stdin.on('error', () => {}) // a write after the exit: the exit already failed every wait
    let resolveFirst: (line: Record<string, unknown>) => void = () => {}
    let rejectFirst: (err: Error) => void = () => {}
    this.first = new Promise((resolve, reject) => {
      resolveFirst = resolve
      rejectFirst = reject
    })
    this.first.catch(() => {})
    let sawFirst = false
    createInterface({ input: this.process.stdout }).on('line', (text) => {
      let line: Record<string, unknown>
      try {
        line = JSON.parse(text) as Record<string, unknown>
      } catch {
        this.stderr += `(stdout) ${text}\n`
        return
      }
      if (!sawFirst) {
        sawFirst = true
        resolveFirst(line)
        return
      }
      const id = line['id']
      const waiter = typeof id === 'number' ? this.waiting.get(id) : undefined
      if (waiter === undefined) return
      this.waiting.delete(id as number)
      waiter.resolve(line)
    })
    this.process.on('close', (code, signal) => {
      this.exitError = new Error(`${this.name} exited (code ${String(code)}, signal ${String(signal)})\nstderr:\n${this.stderr}`)
      rejectFirst(this.exitError)
      for (const waiter of this.waiting.values()) waiter.reject(this.exitError)
      this.waiting.clear()
    })
  }

  get pid (): number | undefined {
    return this.process.pid
  }

  get running (): boolean {
    return this.process.exitCode === null && this.process.signalCode === null
  }

  /** The first line the process prints (its "started" line), within `ms`. */
  async started (ms = START_MS): Promise<Record<string, unknown>> {
    return withTimeout(this.first, ms, () => `${this.name} did not start in ${ms} ms\nstderr:\n${this.stderr}`)
  }

  /** Sends `message` with a fresh id and resolves with the line that answers it. */
  send (message: Record<string, unknown>, ms: number): Promise<Record<string, unknown>> {
    if (this.exitError !== null) return Promise.reject(this.exitError)
    const id = this.nextId++
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => this.waiting.set(id, { resolve, reject }))
    this.process.stdin.write(JSON.stringify({ ...message, id }) + '\n')
    return withTimeout(answer, ms, () => {
      this.waiting.delete(id)
      return `${this.name}: no answer to ${JSON.stringify(message)} in ${ms} ms\nstderr:\n${this.stderr}`
    })
  }

  /** Closes stdin (the process then exits by itself), and kills it if it is still there after `ms`. */
  async stop (ms = 3000): Promise<void> {
    if (!this.running) return
    const closed = new Promise<void>((resolve) => this.process.once('close', () => resolve()))
    this.process.stdin.end()
    const timer = setTimeout(() => this.kill(), ms)
    await closed
    clearTimeout(timer)
  }

  kill (): void {
    if (this.running) this.process.kill('SIGKILL')
  }
}

/** A DHT node in its own process (fixtures/node-process.ts). */
export class NodeProcess extends LineProcess {
  /** The bound port, known once start() resolved. */
  port = 0
  readonly host: string

  /** `host` is the node's address in its namespace (for the test's bookkeeping only). */
  constructor (name: string, ns: string, host: string, config: NodeConfig) {
    super(name, ns, [process.execPath, NODE_PROCESS, JSON.stringify(config)])
    this.host = host
  }

  /** Waits until the process has loaded (its first line). */
  async loaded (): Promise<this> {
    const line = await this.started()
    if (line['loaded'] !== true) throw new Error(`${this.name}: unexpected first line ${JSON.stringify(line)}`)
    return this
  }

  /** Creates and binds the node (the process must have loaded). */
  async start (): Promise<this> {
    this.port = (await this.call({ cmd: 'start' })).port
    return this
  }

  /** Runs a protocol command and resolves with its result. */
  async call<C extends Command> (command: C, ms = 30_000): Promise<Results[C['cmd']]> {
    const line = await this.send(command, ms)
    if (line['ok'] !== true) throw new Error(`${this.name}: ${command.cmd} failed: ${String(line['error'])}`)
    return line['result'] as Results[C['cmd']]
  }
}

async function withTimeout<T> (promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

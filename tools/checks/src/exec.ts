/**
 * Runs a program with explicit arguments (never through a shell) and collects its
 * output. A non-zero exit is a result, not an exception: callers decide what failed.
 */

import { spawn } from 'node:child_process'

export interface RunOptions {
  readonly cwd: string
  /** Killed after this long; the default suits a pack or an install. */
  readonly timeoutMs?: number
  /** How it is killed after the timeout or on `stop`; default SIGTERM. */
  readonly killSignal?: NodeJS.Signals
  readonly env?: NodeJS.ProcessEnv
  /**
   * Aborting it ends the program and every process it started: given a stop signal, the
   * program runs in a process group of its own, and the whole group is killed.
   */
  readonly stop?: AbortSignal
}

export interface RunResult {
  /** The exit code; null when the program could not start or was killed (see `error`). */
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** Why it did not exit normally: spawn error, signal or timeout. */
  readonly error?: string
}

const DEFAULT_TIMEOUT_MS = 60_000 // a cold npm install of our six packages takes ~10 s
const MAX_OUTPUT = 64 * 1024 * 1024 // attw's JSON with resolution traces runs to megabytes

export function run (file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const killSignal = options.killSignal ?? 'SIGTERM'
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  return new Promise((resolve) => {
    const group = options.stop !== undefined
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: group })
    let stdout = ''
    let stderr = ''
    let error: string | undefined
    const kill = (why: string): void => {
      error ??= why
      try {
        if (child.pid !== undefined) process.kill(group ? -child.pid : child.pid, killSignal)
      } catch {} // already gone
    }
    const collect = (append: (text: string) => void) => (chunk: string): void => {
      append(chunk)
      if (stdout.length + stderr.length > MAX_OUTPUT) kill(`killed (${killSignal}): more than ${MAX_OUTPUT} characters of output`)
    }
    child.stdout.setEncoding('utf8').on('data', collect((text) => { stdout += text }))
    child.stderr.setEncoding('utf8').on('data', collect((text) => { stderr += text }))
    const timer = setTimeout(() => kill(`killed (${killSignal}): still running after ${timeoutMs / 1000} s`), timeoutMs)
    const onstop = (): void => kill(`killed (${killSignal}): stopped`)
    if (options.stop?.aborted === true) onstop()
    else options.stop?.addEventListener('abort', onstop, { once: true })
    child.once('error', (err) => { error ??= err.message }) // could not start; 'close' follows
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      options.stop?.removeEventListener('abort', onstop)
      if (signal !== null) error ??= `killed (${signal})`
      resolve(error === undefined ? { code, stdout, stderr } : { code: null, stdout, stderr, error })
    })
  })
}

/** The last lines of a program's output, for a failure report. */
export function tail (result: RunResult, lines = 15): string[] {
  const text = [result.error ?? '', result.stderr, result.stdout].join('\n')
  return text.split('\n').map((line) => line.trimEnd()).filter((line) => line !== '' && !isNpmConfigNoise(line)).slice(-lines)
}

// The environment's npmrc has a key npm 11 warns about on every call; it says nothing about us.
function isNpmConfigNoise (line: string): boolean {
  return line.startsWith('npm warn Unknown user config')
}

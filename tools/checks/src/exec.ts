/**
 * Runs a program with explicit arguments (never through a shell) and collects its
 * output. A non-zero exit is a result, not an exception: callers decide what failed.
 */

import { execFile } from 'node:child_process'
import type { ExecFileException } from 'node:child_process'

export interface RunOptions {
  readonly cwd: string
  /** Killed after this long; the default suits a pack or an install. */
  readonly timeoutMs?: number
  /** How it is killed after the timeout; default SIGTERM. */
  readonly killSignal?: NodeJS.Signals
  readonly env?: NodeJS.ProcessEnv
}

export interface RunResult {
  /** The exit code; null when the program could not start or was killed. */
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** Why it did not exit normally: spawn error, signal or timeout. */
  readonly error?: string
}

const DEFAULT_TIMEOUT_MS = 60_000 // a cold npm install of our six packages takes ~10 s
const MAX_OUTPUT = 64 * 1024 * 1024 // attw's JSON with resolution traces runs to megabytes

export function run (file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      killSignal: options.killSignal ?? 'SIGTERM',
      maxBuffer: MAX_OUTPUT,
      encoding: 'utf8'
    }, (err, stdout, stderr) => {
      if (err === null) {
        resolve({ code: 0, stdout, stderr })
        return
      }
      const code = typeof err.code === 'number' ? err.code : null
      const error = code !== null && err.killed !== true ? undefined : describe(err)
      resolve(error === undefined ? { code, stdout, stderr } : { code, stdout, stderr, error })
    })
  })
}

/** The last lines of a program's output, for a failure report. */
export function tail (result: RunResult, lines = 15): string[] {
  const text = [result.error ?? '', result.stderr, result.stdout].join('\n')
  return text.split('\n').map((line) => line.trimEnd()).filter((line) => line !== '' && !isNpmConfigNoise(line)).slice(-lines)
}

function describe (err: ExecFileException): string {
  if (err.killed === true) return `killed (${err.signal ?? 'timeout'})`
  return err.message
}

// The environment's npmrc has a key npm 11 warns about on every call; it says nothing about us.
function isNpmConfigNoise (line: string): boolean {
  return line.startsWith('npm warn Unknown user config')
}

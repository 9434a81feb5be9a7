// The life of one command run. SIGINT and SIGTERM stop it cleanly: the cleanups run (nodes
// destroyed, sockets closed) and the command exits 0. A second signal while they run exits
// at once with 130.

type Cleanup = () => Promise<void> | void

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const
const FORCED_EXIT = 130 // 128 + SIGINT, the shell's code for an interrupted command

export type StopSignal = typeof STOP_SIGNALS[number]

export class Session {
  /** Resolves with the first stop signal received. */
  readonly stopped: Promise<StopSignal>
  /** The stop signal received, or null. */
  signal: StopSignal | null = null
  private readonly cleanups: Cleanup[] = []
  private closing: Promise<void> | null = null
  private readonly onsignal: (signal: StopSignal) => void

  constructor () {
    let resolve: (signal: StopSignal) => void = noop
    this.stopped = new Promise((r) => { resolve = r })
    this.onsignal = (signal) => {
      if (this.signal !== null) process.exit(FORCED_EXIT)
      this.signal = signal
      process.stderr.write(`${process.stderr.isTTY === true ? '\n' : ''}stopping (${signal})\n`)
      resolve(signal)
    }
    for (const signal of STOP_SIGNALS) process.on(signal, this.onsignal)
  }

  /** Runs `cleanup` when the session closes; cleanups run newest first. */
  defer (cleanup: Cleanup): void {
    this.cleanups.push(cleanup)
  }

  /** Runs every cleanup once (a failing one does not stop the others). */
  close (): Promise<void> {
    this.closing ??= (async () => {
      while (this.cleanups.length > 0) {
        try {
          await this.cleanups.pop()!()
        } catch {}
      }
    })()
    return this.closing
  }

  /** Stops listening for signals. */
  dispose (): void {
    for (const signal of STOP_SIGNALS) process.off(signal, this.onsignal)
  }
}

function noop (): void {}

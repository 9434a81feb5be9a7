// When `dht-rpc node --state FILE` saves its routing table: when asked (once the node is
// ready), every SAVE_EVERY_MS from then on, and once more when it stops. One save at a time,
// in the order asked; a failed save is reported and the next one tries again.
import type { HostPort } from './args.js'
import { writeState } from './state-file.js'

// A table changes over tens of minutes (nodes are pinged and replaced slowly), so a node that
// crashes loses at most 5 minutes of it and most of what it saved still answers; a file of a
// few KB every 5 minutes costs nothing.
export const SAVE_EVERY_MS = 5 * 60_000

/** The two timer functions the saver uses; tests pass their own. */
export interface SaverTimers {
  setInterval (fn: () => void, ms: number): unknown
  clearInterval (handle: unknown): void
}

export interface StateSaverOptions {
  file: string
  /** The nodes to save, read at each save. */
  nodes: () => readonly HostPort[]
  /** @default the global setInterval and clearInterval; the interval does not keep the process alive */
  timers?: SaverTimers
  /** The time a save is stamped with. @default () => new Date() */
  now?: () => Date
  /** A save is done: `count` nodes saved, 0 when the table was empty and the file left alone. */
  onsave: (count: number) => void
  onerror: (err: unknown) => void
}

const systemTimers: SaverTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout)
}

export class StateSaver {
  private readonly opts: StateSaverOptions
  private readonly timers: SaverTimers
  private timer: unknown = null
  private saving: Promise<void> = Promise.resolve()

  constructor (opts: StateSaverOptions) {
    this.opts = opts
    this.timers = opts.timers ?? systemTimers
  }

  /** Saves every SAVE_EVERY_MS from now on. */
  start (): void {
    this.timer ??= this.timers.setInterval(() => { void this.save() }, SAVE_EVERY_MS)
  }

  /**
   * Saves the table now, after any save still running. An empty table is not saved: it knows
   * nothing, and the file may still have nodes worth trying at the next start.
   */
  save (): Promise<void> {
    this.saving = this.saving.then(async () => {
      const nodes = this.opts.nodes()
      try {
        if (nodes.length > 0) await writeState(this.opts.file, nodes, this.opts.now?.() ?? new Date())
        this.opts.onsave(nodes.length)
      } catch (err) {
        this.opts.onerror(err)
      }
    })
    return this.saving
  }

  /** Resolves once every save asked for so far is done. */
  idle (): Promise<void> {
    return this.saving
  }

  /**
   * Stops the periodic saves and, if they had started, saves one last time. A node stopped
   * before it was ready has a table no lookup has checked yet: the file is left as it was.
   */
  stop (): Promise<void> {
    if (this.timer === null) return this.saving
    this.timers.clearInterval(this.timer)
    this.timer = null
    return this.save()
  }
}

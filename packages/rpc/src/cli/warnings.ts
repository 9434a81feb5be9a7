// The 'warning' events of a command's nodes (bootstrap nodes that do not resolve or answer,
// undecodable datagrams, failed sends, socket errors), shown one line each. Without them a
// node whose bootstrap nodes never answered looks like a node alone in a quiet network.
import { performance } from 'node:perf_hooks'
import { oneLine } from './output.js'

// A message already shown is held back this long while it repeats, then shown again with a
// count: a long-running node that keeps failing says so about once a minute, not at every
// datagram, and a one-shot command shows each message once.
const REPEAT_MS = 60_000
// Messages can name an address (a failed send), so a long-running node forgets the ones not
// seen within REPEAT_MS once it remembers this many.
const MAX_REMEMBERED = 1000

interface Shown {
  at: number
  heldBack: number
}

export class Warnings {
  private readonly write: (line: string) => void
  private readonly now: () => number
  private readonly shown = new Map<string, Shown>()

  /** `write` gets one line, without its newline. */
  constructor (write: (line: string) => void, now: () => number = () => performance.now()) {
    this.write = write
    this.now = now
  }

  /** Shows `err` unless the same message was shown less than a minute ago. */
  add (err: unknown): void {
    const message = oneLine(err)
    const now = this.now()
    const last = this.shown.get(message)
    if (last !== undefined && now - last.at < REPEAT_MS) {
      last.heldBack++
      return
    }
    const again = last !== undefined && last.heldBack > 0
      ? ` (${last.heldBack} more ${last.heldBack === 1 ? 'time' : 'times'} in the last ${Math.round((now - last.at) / 1000)} s)`
      : ''
    if (this.shown.size >= MAX_REMEMBERED) this.forgetBefore(now - REPEAT_MS)
    this.shown.set(message, { at: now, heldBack: 0 })
    this.write(`warning: ${message}${again}`)
  }

  private forgetBefore (time: number): void {
    for (const [message, shown] of this.shown) if (shown.at < time) this.shown.delete(message)
  }
}

/** Warnings shown on stderr as `dht-rpc <command>: warning: …`. */
export function stderrWarnings (command: string): Warnings {
  return new Warnings((line) => process.stderr.write(`dht-rpc ${command}: ${line}\n`))
}

// At most one run of a handler per request. A requester re-sends a request that is not
// answered in time, with the same tid and the same bytes: the reply was lost, or the handler
// is still working. A re-send of a request still being handled is dropped; a re-send of one
// that was answered gets the same reply again. Non-idempotent commands are then safe to
// retry, and a slow handler is not started again by every re-send. Nothing changes on the
// wire: the requester sees one reply, as it would have.

import type { UdpSocket } from './socket.js'

/** Requests remembered at most: a bound on memory, and far fewer than the 65,536 tids a sender goes through before reusing one. */
export const MAX_REMEMBERED = 1024
/**
 * How long a request is remembered, ms: past the last re-send of any requester (ours re-send
 * within 3/4 of their timeout, dht-rpc 5 within 6.75 s), short enough that a sender reusing
 * the tid with the same bytes would have to send thousands of requests a second.
 */
export const REMEMBER_MS = 15_000

/** What {@link ReplyCache.check} found for a request. */
export type Seen =
  | {
    /** Not seen before: run its handler. */
    readonly type: 'new'
  }
  | {
    /** A re-send of a request whose handler has not replied yet: drop it. */
    readonly type: 'running'
  }
  | {
    /** A re-send of a request already answered: send the same reply again. */
    readonly type: 'answered'
    /** The reply datagram that was sent. */
    readonly reply: Uint8Array
    /** The socket it was sent from. */
    readonly socket: UdpSocket
  }

interface Entry {
  readonly at: number
  readonly fingerprint: number
  reply: Uint8Array | null
  socket: UdpSocket | null
}

const NEW: Seen = { type: 'new' }
const RUNNING: Seen = { type: 'running' }

/**
 * The requests received lately, by sender and tid, with the reply sent to each: what makes
 * a handler run at most once per request (see {@link ReplyCache.check}).
 */
export class ReplyCache {
  // insertion order is arrival order: the oldest entries are at the front
  private readonly entries = new Map<string, Entry>()

  /** How many requests it remembers. */
  get size (): number {
    return this.entries.size
  }

  /**
   * Looks up a request by sender and tid. One not seen before (or whose bytes differ: a new
   * request that reuses the tid) is remembered as running and answers 'new'.
   */
  check (from: { host: string, port: number }, tid: number, datagram: Uint8Array, now: number): Seen {
    this.forgetOld(now)
    const key = keyOf(from, tid)
    const fingerprint = fingerprintOf(datagram)
    const entry = this.entries.get(key)
    if (entry !== undefined && entry.fingerprint === fingerprint) {
      if (entry.reply === null || entry.socket === null) return RUNNING
      return { type: 'answered', reply: entry.reply, socket: entry.socket }
    }
    if (entry !== undefined) this.entries.delete(key)
    this.entries.set(key, { at: now, fingerprint, reply: null, socket: null })
    if (this.entries.size > MAX_REMEMBERED) this.entries.delete(this.entries.keys().next().value!)
    return NEW
  }

  /** Keeps the reply sent to a request remembered as running; nothing for any other. */
  answered (from: { host: string, port: number }, tid: number, reply: Uint8Array, socket: UdpSocket): void {
    const entry = this.entries.get(keyOf(from, tid))
    if (entry === undefined || entry.reply !== null) return
    entry.reply = reply
    entry.socket = socket
  }

  /** Forgets every request. */
  clear (): void {
    this.entries.clear()
  }

  private forgetOld (now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.at < REMEMBER_MS) return
      this.entries.delete(key)
    }
  }
}

function keyOf (from: { host: string, port: number }, tid: number): string {
  return from.host + ':' + from.port + '/' + tid
}

// FNV-1a over the datagram: a re-send is the same bytes, a new request reusing the tid almost
// surely is not
function fingerprintOf (datagram: Uint8Array): number {
  let h = 0x811c9dc5
  for (let i = 0; i < datagram.length; i++) h = Math.imul(h ^ datagram[i]!, 0x01000193)
  return h >>> 0
}

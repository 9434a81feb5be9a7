// What an IO has sent and received, per command, and the round trips of its latest replies.
// Counting runs on every datagram and is always on, so nothing here allocates per message:
// a command gets its counters object once, the first time it is seen, a request in flight
// keeps its command's object, and the round trips go into a fixed ring of numbers.

import { HAS_ID, HAS_ROUTE, HAS_TOKEN } from '@dht/wire'
import type { IOStats } from './io-options.js'

/**
 * Commands that get counters of their own, at most; any further command is counted in
 * {@link IOCounters.other}. A peer that sends requests with made-up command names then cannot
 * make the counters grow, and a node's own commands (a handful) are far below it.
 */
export const MAX_COUNTED_COMMANDS = 64

/**
 * The round trips the percentiles are taken over: the latest ones, so they follow the
 * network as it is now, and enough that the 99th percentile is not a single reply.
 */
export const RTT_SAMPLES = 256

// a request's fixed part before its optional fields: version, flags (one byte: < 0xfd), tid, to
const FIXED_BYTES = 1 + 1 + 2 + 6
const FIELD_BYTES = 32 // an id, a token or a target

/** The counters of one command (or of {@link IOCounters.other}), from the IO's creation. */
export class CommandCounters {
  /** The command, or null for {@link IOCounters.other}: every command past the first {@link MAX_COUNTED_COMMANDS}. */
  readonly command: string | null
  /** Requests sent, each counted once however often it was re-sent. */
  requestsSent = 0
  /** Re-sends of requests that were not answered in time. */
  resends = 0
  /** Requests that failed with `REQUEST_TIMEOUT`. */
  timeouts = 0
  /** Replies that matched a request in flight. */
  repliesReceived = 0
  /** Requests handed to `onrequest` (re-sends dropped as duplicates are not). */
  requestsReceived = 0
  /** Replies sent. */
  repliesSent = 0
  /** Requests dropped unread because their source host was over the rate limit. */
  rateLimited = 0
  /** Bytes of the datagrams sent: requests, their re-sends and replies. */
  bytesOut = 0
  /** Bytes of the datagrams received: requests (dropped ones too) and the replies that matched. */
  bytesIn = 0

  constructor (command: string | null) {
    this.command = command
  }
}

/**
 * The round trips of the latest replies, in ms, in a ring of {@link RTT_SAMPLES}: adding one
 * overwrites the oldest, and the percentiles are computed only when asked for. Kept as 32-bit
 * floats (to a microsecond below 8 s), for every node has a ring: 1 KiB each.
 */
export class RttSamples {
  private readonly ring: Float32Array
  private next = 0
  private filled = 0

  constructor (size = RTT_SAMPLES) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`)
    this.ring = new Float32Array(size)
  }

  /** Round trips held now (at most the ring's size). */
  get size (): number {
    return this.filled
  }

  /** Records one round trip, in ms. */
  add (ms: number): void {
    this.ring[this.next] = ms
    this.next = this.next + 1 === this.ring.length ? 0 : this.next + 1
    if (this.filled < this.ring.length) this.filled++
  }

  /**
   * The round trips at the percentiles `ps` (each 0 to 100), by nearest rank, in ms; nulls
   * when none was recorded. One sort for them all.
   */
  percentiles (ps: readonly number[]): Array<number | null> {
    if (this.filled === 0) return ps.map(() => null)
    const sorted = this.ring.slice(0, this.filled).sort()
    return ps.map((p) => sorted[Math.min(this.filled - 1, Math.max(0, Math.ceil(p / 100 * this.filled) - 1))]!)
  }
}

/**
 * The counters of an IO ({@link IO.stats}): per command ({@link IOCounters.commands}), the
 * totals over them all (the fields of {@link IOStats}, summed when read), and the round trips
 * of the latest replies ({@link IOCounters.rtt}).
 */
export class IOCounters implements IOStats {
  /** Datagrams that did not decode. */
  invalidDatagrams = 0
  /** Re-sent requests not handed to `onrequest` again: dropped while handled, or answered with the reply already sent. */
  duplicates = 0
  /** Bytes received that no command can be told for: datagrams that did not decode, replies that matched nothing. */
  strayBytesIn = 0
  /** Commands past the first {@link MAX_COUNTED_COMMANDS}, summed. */
  readonly other = new CommandCounters(null)
  /** The round trips of the latest replies to requests sent once (a re-sent one's is ambiguous). */
  readonly rtt = new RttSamples()
  private readonly byCommand = new Map<string, CommandCounters>()
  // the same objects as byCommand's, in an array: what a rate-limited datagram is matched against
  private readonly list: CommandCounters[] = []
  // their commands' UTF-8 bytes, made the first time a rate-limited datagram is matched (rare)
  private readonly utf8: Uint8Array[] = []

  /** The counters of each command seen so far, by command. */
  get commands (): ReadonlyMap<string, CommandCounters> {
    return this.byCommand
  }

  /** The counters of `command`, made the first time (or {@link IOCounters.other} once there are too many). */
  command (command: string): CommandCounters {
    const counters = this.byCommand.get(command)
    if (counters !== undefined) return counters
    if (this.list.length >= MAX_COUNTED_COMMANDS) return this.other
    const made = new CommandCounters(command)
    this.byCommand.set(command, made)
    this.list.push(made)
    return made
  }

  /**
   * A request datagram dropped unread by the rate limit: counted for its command, read
   * straight from the bytes (no decode, no string), when it is one already counted;
   * otherwise in {@link IOCounters.other}.
   */
  rateLimitedDatagram (buffer: Uint8Array): void {
    const counters = this.commandOf(buffer)
    counters.rateLimited++
    counters.bytesIn += buffer.byteLength
  }

  /** Requests sent, each counted once however often it was re-sent. */
  get requestsSent (): number { return this.sum('requestsSent') }
  /** Re-sends of requests that were not answered in time. */
  get resends (): number { return this.sum('resends') }
  /** Requests that failed with `REQUEST_TIMEOUT`. */
  get timeouts (): number { return this.sum('timeouts') }
  /** Replies that matched a request in flight. */
  get repliesReceived (): number { return this.sum('repliesReceived') }
  /** Requests handed to `onrequest`. */
  get requestsReceived (): number { return this.sum('requestsReceived') }
  /** Replies sent. */
  get repliesSent (): number { return this.sum('repliesSent') }
  /** Requests dropped unread because their source host was over the rate limit. */
  get rateLimited (): number { return this.sum('rateLimited') }
  /** Bytes of every datagram sent. */
  get bytesOut (): number { return this.sum('bytesOut') }
  /** Bytes of every datagram received (but those of a byte or less, dropped at once). */
  get bytesIn (): number { return this.sum('bytesIn') + this.strayBytesIn }

  private sum (field: Exclude<keyof CommandCounters, 'command'>): number {
    let n = this.other[field]
    for (let i = 0; i < this.list.length; i++) n += this.list[i]![field]
    return n
  }

  // The command of a request datagram, from its flags and the length of its command; the
  // datagram may be anything, so every offset is checked against its length.
  private commandOf (b: Uint8Array): CommandCounters {
    const flags = b[1]!
    if (flags >= 0xfd) return this.other
    const at = FIXED_BYTES + FIELD_BYTES * (((flags & HAS_ID) !== 0 ? 1 : 0) + ((flags & HAS_TOKEN) !== 0 ? 1 : 0) + ((flags & HAS_ROUTE) !== 0 ? 1 : 0))
    if (at >= b.length) return this.other
    const length = b[at]!
    if (length >= 0xfd || at + 1 + length > b.length) return this.other
    for (let i = this.utf8.length; i < this.list.length; i++) this.utf8.push(Buffer.from(this.list[i]!.command!, 'utf8'))
    for (let i = 0; i < this.list.length; i++) {
      const utf8 = this.utf8[i]!
      if (utf8.length !== length) continue
      let j = 0
      while (j < length && utf8[j] === b[at + 1 + j]) j++
      if (j === length) return this.list[i]!
    }
    return this.other
  }
}


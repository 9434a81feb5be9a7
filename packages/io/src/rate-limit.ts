import type { Clock } from './clock.js'
import type { RemoteInfo } from './socket.js'

/** How many requests one source host may send. */
export interface RateLimitOptions {
  /** Requests allowed per `per` ms from one source host, sustained. */
  requests: number
  /** The period in ms that `requests` is counted over. */
  per: number
  /** Requests a source that was quiet may send at once. @default requests */
  burst?: number
}

/**
 * The default: 1000 requests per second from each source host, in bursts of up to 1000.
 * A node sends any one node a handful of requests per lookup, so even hundreds of nodes
 * behind one NAT (one host to us) stay far below it; a flood is cut to a rate that costs
 * well under a millisecond of work per second.
 */
export const DEFAULT_RATE_LIMIT: Readonly<Required<RateLimitOptions>> = { requests: 1000, per: 1000, burst: 1000 }

const MAX_SOURCES = 4096 // sources tracked per generation: at most twice this many are kept

interface Bucket {
  tokens: number
  at: number
}

/**
 * The source a datagram from `rinfo` counts for: its host, so that changing ports does not
 * dodge the limit; on loopback every socket is its own source, so that a local testnet's
 * nodes do not share one bucket.
 */
export function rateLimitKey (rinfo: RemoteInfo): string {
  return rinfo.address.startsWith('127.') ? rinfo.address + ':' + rinfo.port : rinfo.address
}

/**
 * A token bucket per source host. Buckets live in two generations that swap when the newer
 * one is full or a bucket's refill time has passed: a source that sent nothing for a whole
 * generation is forgotten (its bucket was full again anyway, unless the swap came early
 * from a crowd of sources), so memory stays bounded however many addresses a flood uses,
 * and expiry costs nothing per bucket.
 */
export class RateLimiter {
  private readonly clock: Clock
  private readonly rate: number // tokens per ms
  private readonly burst: number
  private readonly refillMs: number
  private readonly maxSources: number
  private current = new Map<string, Bucket>()
  private previous = new Map<string, Bucket>()
  private swappedAt: number

  constructor (opts: RateLimitOptions, clock: Clock, maxSources = MAX_SOURCES) {
    assertPositive(opts.requests, 'rateLimit.requests')
    assertPositive(opts.per, 'rateLimit.per')
    if (opts.burst !== undefined) assertPositive(opts.burst, 'rateLimit.burst', 1)
    this.clock = clock
    this.rate = opts.requests / opts.per
    this.burst = opts.burst ?? Math.max(1, opts.requests)
    this.refillMs = this.burst / this.rate
    this.maxSources = maxSources
    this.swappedAt = clock.now()
  }

  /** Sources tracked now. */
  get size (): number {
    return this.current.size + this.previous.size
  }

  /** Takes one request's token from `host`'s bucket; false when it is empty. */
  allow (host: string): boolean {
    const now = this.clock.now()
    if (now - this.swappedAt >= this.refillMs) this.swap(now)
    let bucket = this.current.get(host)
    if (bucket === undefined) {
      bucket = this.previous.get(host) ?? { tokens: this.burst, at: now }
      this.previous.delete(host)
      if (this.current.size >= this.maxSources) this.swap(now)
      this.current.set(host, bucket)
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.rate)
    bucket.at = now
    if (bucket.tokens < 1) return false
    bucket.tokens--
    return true
  }

  private swap (now: number): void {
    // two generations idle: everything in both is full again
    this.previous = now - this.swappedAt >= 2 * this.refillMs ? new Map() : this.current
    this.current = new Map()
    this.swappedAt = now
  }
}

function assertPositive (value: unknown, name: string, min?: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || (min === undefined ? value <= 0 : value < min)) {
    throw new TypeError(`${name} must be a finite number ${min === undefined ? 'above 0' : `of at least ${min}`}, got ${String(value)}`)
  }
}

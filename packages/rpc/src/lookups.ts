// The node's lookups: what query() starts, and the node's own background lookups (a refresh,
// a bootstrap). Lookups given no concurrency of their own share the node's request window
// (WidthShare of @dht/query); all are stopped together when the node is destroyed or
// suspended.

import { Query, WidthShare } from '@dht/query'
import type { QueryHost } from '@dht/query'
import type { DHT } from './dht.js'
import type { DHTQuery, DHTQueryOptions, DHTReply } from './types.js'

/** What the lookups need besides the query host. */
export interface LookupsOptions {
  /** The requests all lookups together may keep in flight (the IO's window). */
  budget: number
  /** The width of a lookup that runs alone. */
  max: number
  /** Requests the node has in flight, its lookups' and others'. */
  inflightRequests: () => number
  /** Told of every lookup started (the periodic refresh waits while lookups run). */
  started: () => void
}

export class Lookups {
  readonly #host: QueryHost
  readonly #owner: DHT
  readonly #widths: WidthShare
  readonly #running = new Set<{ destroy (err: Error): void }>()
  readonly #opts: LookupsOptions

  constructor (host: QueryHost, owner: DHT, opts: LookupsOptions) {
    this.#host = host
    this.#owner = owner
    this.#opts = opts
    this.#widths = new WidthShare({ budget: opts.budget, max: opts.max })
  }

  /** Lookups running. */
  get running (): number {
    return this.#running.size
  }

  /** The width of a lookup that runs alone. */
  get width (): number {
    return this.#widths.max
  }

  set width (n: number) {
    this.#widths.configure({ max: n })
  }

  /**
   * A lookup, running until it ends or is stopped; when `refuse` is an error, one already
   * destroyed with it (the node is destroyed or suspended). Arguments are checked already.
   */
  start<T = DHTReply> (target: Uint8Array, command: string, value: Uint8Array | null, opts: DHTQueryOptions<T>, refuse: Error | null): DHTQuery<T> {
    this.#opts.started()
    const shared = opts.concurrency === undefined
    const query = new Query<DHT, T>(this.#host, target, command, value, shared ? { ...opts, concurrency: this.#widths.width } : opts, this.#owner)
    if (refuse !== null) {
      query.destroy(refuse)
      return query
    }
    this.#running.add(query)
    if (shared) this.#widths.enter()
    query.on('close', () => {
      this.#running.delete(query)
      if (shared) this.#widths.leave()
    })
    return query
  }

  /**
   * A find_node lookup of the node's own (a refresh, a bootstrap): it runs to its end without
   * anyone reading it (finished() reads it), streams nothing, and keeps `width` requests in
   * flight only while the node has little else waiting on the network, a few otherwise.
   * `onreply` sees every answer as it arrives.
   */
  background (target: Uint8Array, refuse: Error | null, width = this.width, onreply?: (reply: DHTReply) => void): DHTQuery<never> {
    const background = Math.min(width, Math.max(2, Math.floor(this.width / 8)))
    // the lookup's own requests are not "something else waiting"
    const others = (): number => this.#opts.inflightRequests() - (query === undefined ? 0 : query.inflight)
    let query: DHTQuery<never> | undefined
    query = this.start<never>(target, 'find_node', null, {
      concurrency: () => others() < 3 ? width : background,
      map: () => null,
      ...(onreply !== undefined ? { onreply } : {})
    }, refuse)
    query.finished().catch(noop) // a destroyed node's lookups end with its error
    return query
  }

  /** Stops every lookup with `err`: their requests give their window room back. */
  stopAll (err: Error): void {
    for (const query of [...this.#running]) query.destroy(err)
    this.#running.clear()
  }
}

function noop (): void {}

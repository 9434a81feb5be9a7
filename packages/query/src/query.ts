// A lookup as a readable stream: the driver around a Lookup (lookup.ts). It loads the first
// nodes (the given seeds, or the routing table and the bootstrap nodes), sends the requests
// the lookup asks for through the host, tells the lookup of every answer, failure and re-send,
// keeps its waits (pacing.ts), streams every good answer, and commits to the closest nodes at
// the end.

import { Readable } from 'streamx'
import { IOError, systemClock } from '@dht/io'
import type { Clock, IncomingReply, RequestMessage } from '@dht/io'
import { K } from '@dht/table'
import { id as wireId } from '@dht/wire'
import { autoCommit, commitAll } from './commit.js'
import { QueryError } from './errors.js'
import type { QueryHost, QueryNode, QueryRequest } from './host.js'
import { finished } from './finished.js'
import { Lookup } from './lookup.js'
import type { Visit } from './lookup.js'
import { assertCommand, assertConcurrency, assertOptions, assertTarget, assertValue, seedsOf } from './options.js'
import type { QueryOptions } from './options.js'
import { Pacing } from './pacing.js'
import type { ClosestNode, QueryEvents } from './query-types.js'

// What a query cancels its own requests with. Their handlers are the query's, which have
// ignored them already, so one shared error serves every cancel: a new Error each time would
// capture a stack nobody reads.
const CANCELLED = IOError.REQUEST_CANCELLED()

// idle: not opened; loading: reading the table or bootstrap nodes; running: asking;
// committing: traversal over, commits running; ended: end pushed
type Phase = 'idle' | 'loading' | 'running' | 'committing' | 'ended'

/**
 * A lookup of `target` with `command` (and `value`). Read it as a stream or an async iterator
 * of every reply with status 0 (through `map`), or `await query.finished()`. Afterwards
 * `closestReplies` and `closestNodes` hold the up to k = 20 closest nodes that answered.
 */
export class Query<D = unknown, T = IncomingReply> extends Readable<QueryEvents<T>> {
  /** The 32-byte key it looks for. */
  readonly target: Uint8Array
  /** The command each request sends. */
  readonly command: string
  /** The payload each request sends, or null. */
  readonly value: Uint8Array | null
  /** How many closest replies a query keeps (Kademlia's k). */
  readonly k: number = K

  readonly #host: QueryHost
  readonly #clock: Clock
  readonly #owner: D
  readonly #lookup: Lookup
  readonly #map: (reply: IncomingReply) => T | null | undefined
  readonly #onreply: ((reply: IncomingReply) => void) | null
  readonly #commit: ((reply: IncomingReply) => unknown) | null
  readonly #seeds: QueryNode[] | null
  readonly #requests = new Map<Visit, QueryRequest>()
  readonly #commits = new Set<QueryRequest>()
  /** When each good answer arrived: an auto-commit renews a token gone stale. */
  readonly #answeredAt = new WeakMap<IncomingReply, number>()
  #width: number | (() => number)
  readonly #pacing: Pacing
  #phase: Phase = 'idle'
  #fromTable: boolean
  // the bootstrap nodes were added: a lookup asks them once at most
  #askedBootstrap = false
  #paused = false
  #pumping = false
  #repump = false
  #stopped = false
  readonly #signal: AbortSignal | null
  // destroyed by its signal: finished() rejects with the reason even when streamx would not
  // keep it as the stream's error (a falsy one)
  #aborted = false
  readonly #onabort = (): void => this.#abort()

  /**
   * @param host - the node's side of the lookup, see {@link QueryHost}.
   * @param target - 32 bytes, the key to move towards.
   * @param command - the command sent to every node.
   * @param value - the value sent with it.
   * @param opts - {@link QueryOptions}.
   * @param owner - passed to a commit function as its `dht` argument.
   */
  constructor (host: QueryHost, target: Uint8Array, command: string, value: Uint8Array | null, opts: QueryOptions<D, T> | undefined, owner: D) {
    assertTarget(target)
    assertCommand(command)
    assertValue(value)
    assertOptions(opts)
    super()
    this.#host = host
    this.#clock = host.clock ?? systemClock
    this.#pacing = new Pacing(this.#clock, host.defer?.bind(host) ?? setImmediate, () => this.#pump())
    this.#owner = owner
    this.target = target
    this.command = command
    this.value = value
    this.#width = opts?.concurrency ?? K
    this.#map = opts?.map ?? (identity as (reply: IncomingReply) => T)
    this.#onreply = opts?.onreply ?? null
    this.#commit = this.#commitOf(opts?.commit)
    this.#seeds = seedsOf(opts)
    this.#fromTable = this.#seeds === null
    const nodeId = host.nodeId?.bind(host) ?? wireId
    this.#lookup = new Lookup(target, { k: this.k, ownId: host.id, nodeId })
    this.#signal = opts?.signal ?? null
    if (this.#signal === null) return
    // last, once everything destroy() stops is in place
    if (this.#signal.aborted) this.#abort()
    else this.#signal.addEventListener('abort', this.#onabort)
  }

  /** Replies with status 0. */
  get successes (): number {
    return this.#lookup.successes
  }

  /** Replies with another status, failed requests, and stalled requests given up at the end. */
  get errors (): number {
    return this.#lookup.errors
  }

  /** Requests sent and not yet answered (stalled ones included). */
  get inflight (): number {
    return this.#lookup.inflight
  }

  /** Requests in flight that were re-sent at least once and no longer hold a slot. */
  get stalled (): number {
    return this.#lookup.stalled
  }

  /** Requests that may wait for an answer at once, stalled ones not counted (the width now, when given as a function). */
  get concurrency (): number {
    return typeof this.#width === 'number' ? this.#width : this.#width()
  }

  /** Sets a fixed width (a positive integer) from now on; more requests go out at once if it grew. */
  set concurrency (n: number) {
    assertConcurrency(n)
    this.#width = n
    this.#pump()
  }

  /** The up to k replies with status 0 and an id, nearest to the target first, one per id. */
  get closestReplies (): readonly IncomingReply[] {
    return this.#lookup.replies
  }

  /** `{ id, host, port }` of each of {@link closestReplies}. */
  get closestNodes (): ClosestNode[] {
    return this.#lookup.replies.map((r) => ({ id: r.id, host: r.from.host, port: r.from.port }))
  }

  /**
   * Resolves when the stream has closed, rejects with its error. Reads the stream to its end
   * (resume) so a query nobody else reads still runs. A plain `destroy()` resolves it.
   */
  finished (): Promise<void> {
    return finished(this, () => this.#aborted ? { reason: this.#signal?.reason } : null)
  }

  /** Every reply with status 0 (through `map`), as it arrives; ends when the query does. */
  override [Symbol.asyncIterator] (): AsyncIterator<T> {
    return super[Symbol.asyncIterator]() as AsyncIterator<T>
  }

  /** @internal streamx calls it before the first read: loads the seeds and starts asking. */
  override _open (cb: (err: Error | null) => void): void {
    this.#phase = 'loading'
    let loading: Promise<void>
    try {
      if (this.#seeds === null) loading = this.#loadFromTable()
      else {
        this.#lookup.add(this.#seeds)
        loading = Promise.resolve()
      }
    } catch (err) {
      cb(err as Error)
      return
    }
    loading.then(() => {
      if (this.#phase === 'loading') this.#phase = 'running'
      cb(null)
    }, (err: unknown) => cb(err as Error))
  }

  /** @internal streamx calls it when the reader wants more: asking resumes. */
  override _read (cb: (err: Error | null) => void): void {
    this.#paused = false
    this.#pump()
    cb(null)
  }

  /** @internal streamx calls it as `destroy()` starts: stops the requests and commits in flight. */
  override _predestroy (): void {
    this.#stop()
  }

  /** @internal streamx calls it as the stream closes: stops whatever is still in flight. */
  override _destroy (cb: (err: Error | null) => void): void {
    this.#stop()
    cb(null)
  }

  #commitOf (commit: QueryOptions<D, T>['commit']): ((reply: IncomingReply) => unknown) | null {
    if (commit === undefined || commit === false) return null
    if (commit === true) return (reply) => autoCommit(this.#host, this, reply, this.#clock.now() - (this.#answeredAt.get(reply) ?? 0), this.#commits)
    return (reply) => commit(reply, this.#owner, this)
  }

  // the routing table's closest nodes, and the bootstrap nodes when those are fewer than k
  async #loadFromTable (): Promise<void> {
    this.#fromTable = true
    const added = this.#lookup.add(this.#host.closest(this.target, this.k))
    if (added < this.k) await this.#loadBootstrap()
  }

  // the bootstrap nodes, once per lookup
  async #loadBootstrap (): Promise<void> {
    this.#askedBootstrap = true
    let bootstrap: readonly QueryNode[]
    try {
      bootstrap = await this.#host.bootstrapNodes()
    } catch {
      bootstrap = [] // a failed lookup of the bootstrap hosts leaves the query with what it has
    }
    if (!this.#stopped) this.#lookup.add(bootstrap)
  }

  // more nodes are being loaded: the lookup goes on with them once they are in
  #continueWith (loading: Promise<void>): void {
    this.#phase = 'loading'
    loading.then(() => {
      if (this.#phase !== 'loading') return
      this.#phase = 'running'
      this.#pump()
    }, (err: unknown) => this.destroy(err as Error))
  }

  // Sends what the lookup asks for, then acts on what it says. A request's handlers may run
  // inside send() (a synchronous host): the outer loop then goes again.
  #pump (): void {
    if (this.#pumping) {
      this.#repump = true
      return
    }
    this.#pumping = true
    try {
      do {
        this.#repump = false
        this.#step()
      } while (this.#repump)
    } finally {
      this.#pumping = false
    }
  }

  #step (): void {
    if (this.#phase !== 'running' || this.#stopped) return
    this.#pacing.clearGrace()
    for (;;) {
      const next = this.#lookup.next(this.#paused ? 0 : this.concurrency, this.#clock.now())
      if (next.type === 'ask') {
        this.#ask(next.node)
        continue
      }
      if (next.type === 'wait-until') this.#pacing.setGrace(next.at)
      else if (next.type === 'done' && this.#pacing.done(this.#lookup.inflight)) this.#traversed()
      return
    }
  }

  #ask (node: QueryNode): void {
    const now = this.#clock.now()
    const unknown = this.#host.roundTrip !== undefined && this.#host.roundTrip(node) === null
    const visit = this.#lookup.sent(node, now, unknown)
    const m: RequestMessage = {
      to: { host: node.host, port: node.port },
      id: this.#host.requestId,
      token: null,
      target: this.target,
      command: this.command,
      value: this.value
    }
    try {
      // expectOk: false, so a reply with another status still brings its closerNodes
      const req = this.#host.send(m, { expectOk: false }, {
        onreply: (reply) => this.#onanswer(visit, reply),
        onerror: () => this.#onfailure(visit),
        onresend: (sends) => this.#onresend(visit, sends)
      })
      if (!visit.ended) this.#requests.set(visit, req)
    } catch {
      this.#onfailure(visit)
    }
  }

  #onanswer (visit: Visit, reply: IncomingReply): void {
    if (this.#stopped || visit.ended) return
    this.#requests.delete(visit)
    const now = this.#clock.now()
    const ok = this.#lookup.answered(visit, reply, now)
    if (ok) this.#answeredAt.set(reply, now)
    this.#onreply?.(reply)
    if (ok && !this.#stopped) this.#emit(reply)
    this.#pump()
  }

  #onfailure (visit: Visit): void {
    if (this.#stopped || visit.ended) return
    this.#requests.delete(visit)
    this.#lookup.failed(visit)
    this.#pump()
  }

  #onresend (visit: Visit, sends: number): void {
    if (this.#stopped || visit.ended) return
    this.#lookup.resent(visit, sends, this.#clock.now())
    this.#pump()
  }

  #emit (reply: IncomingReply): void {
    let data: T | null | undefined
    try {
      data = this.#map(reply)
    } catch (err) {
      this.destroy(err as Error)
      return
    }
    if (data === null || data === undefined || this.#stopped) return
    if (!this.push(data)) this.#paused = true
  }

  // nothing admissible is waiting and every request in flight is worth no more waiting
  #traversed (): void {
    if (!this.#fromTable && this.successes < this.k / 4) {
      // most seeds were stale: carry on from the routing table, as dht-rpc does
      this.#continueWith(this.#loadFromTable())
      return
    }
    if (this.successes === 0 && !this.#askedBootstrap) {
      // every node the table gave is gone (a node restarted from a saved table after a long
      // time off): the bootstrap nodes are its way back into the network
      this.#continueWith(this.#loadBootstrap())
      return
    }
    this.#phase = 'committing'
    this.#cancelRequests(true)
    this.#finish()
  }

  #finish (): void {
    const commit = this.#commit
    if (commit === null) {
      this.#end()
      return
    }
    const replies = this.#lookup.replies.slice()
    if (replies.length === 0) {
      this.destroy(QueryError.NO_CLOSEST_REPLIES())
      return
    }
    commitAll(replies, commit).then(() => this.#end(), (err: unknown) => {
      if (!this.#stopped) this.destroy(err as Error)
    })
  }

  #end (): void {
    if (this.#stopped || this.#phase === 'ended') return
    this.#phase = 'ended'
    this.push(null)
  }

  // The signal aborted: the query ends as destroy(reason) ends it, unless it is ending already.
  #abort (): void {
    this.#unwatch()
    if (this.destroying) return
    this.#aborted = true
    this.destroy(this.#signal?.reason)
  }

  // a signal that outlives the query keeps no listener of it
  #unwatch (): void {
    this.#signal?.removeEventListener('abort', this.#onabort)
  }

  #stop (): void {
    if (this.#stopped) return
    this.#stopped = true
    this.#unwatch()
    this.#cancelRequests(false)
    for (const req of [...this.#commits]) req.cancel()
    this.#commits.clear()
  }

  // gives up every request in flight and cancels it; their handlers ignore the cancellation
  #cancelRequests (countAsErrors: boolean): void {
    this.#pacing.clearGrace()
    for (const visit of this.#lookup.giveUp(countAsErrors)) this.#requests.get(visit)?.cancel(CANCELLED)
    this.#requests.clear()
  }
}

function identity<R> (reply: R): R {
  return reply
}

// An iterative Kademlia lookup as a readable stream: ask the nodes nearest the target, learn
// nearer ones from their replies, keep the k closest replies, stream every good reply, and
// optionally commit to the closest nodes at the end.
//
// When to stop waiting. A request re-sent once (its peer missed its round-trip estimate) is
// stalled: it stops holding a concurrency slot, so a silent node does not hold the lookup
// back. Once nothing else is left, the lookup waits on its stalled requests:
// - holding k replies, for one that could still rank among them, one and a half of the
//   lookup's slowest answer times after its first re-send (and, for a peer the node has no
//   round trip for, at least the patient initial wait of @dht/io from the first send, for it
//   may be far): after churn, a dead node costs a lookup little;
// - holding fewer, for every request until its last send has gone out, and then, once any
//   node has answered, one and a half of the slowest answer times more. A lookup that has
//   heard nothing yet waits for its requests to be answered or to time out: handlers that take
//   seconds (the same command is slow everywhere) still answer it.

import { id as idOfAddress } from '@dht/wire'
import { Readable, getStreamError } from 'streamx'
import type { ReadableEvents } from 'streamx'
import { INITIAL_RTO, IOError, MAX_SENDS, systemClock } from '@dht/io'
import type { Clock, IncomingReply, RequestMessage, TimerHandle } from '@dht/io'
import { K } from '@dht/table'
import { Candidates } from './candidates.js'
import { ClosestReplies } from './closest.js'
import type { IdentifiedReply } from './closest.js'
import { Frontier } from './frontier.js'
import { autoCommit, commitAll } from './commit.js'
import { QueryError } from './errors.js'
import type { QueryHost, QueryNode, QueryRequest } from './host.js'
import { assertCommand, assertConcurrency, assertOptions, assertTarget, assertValue, seedsOf } from './options.js'
import type { QueryOptions } from './options.js'

// What a lookup cancels its own requests with. Their handlers are the lookup's, which have
// ignored them already, so one shared error serves every cancel: a new Error each time cost a
// stack capture that nobody read.
const CANCELLED = IOError.REQUEST_CANCELLED()

/** The events of a query stream: `data` carries what `map` made of a reply. */
export interface QueryEvents<T> extends ReadableEvents {
  data: [data: T]
}

/** One of the closest nodes a query found. */
export interface ClosestNode {
  id: Uint8Array
  host: string
  port: number
}

interface Visit {
  req: QueryRequest | null
  /** The node's id, null for seeds without one. */
  readonly id: Uint8Array | null
  /** The id is on the frontier (until the node answers, fails or stalls). */
  onFrontier: boolean
  readonly sentAt: number
  /** Re-sent at least once: no longer holds a concurrency slot, and keeps the lookup going only as the rule above says. */
  stalled: boolean
  stalledAt: number
  /** Sends so far, and when the last went out. */
  sends: number
  lastSentAt: number
  /** The node has no round trip known to the host: it may be far. */
  readonly unknown: boolean
  settled: boolean
}

// Once a lookup holds k replies, a stalled request to a node that would rank among them holds
// its end this many of the lookup's slowest answer times after the re-send: the answer to the
// re-send (or a far node's late answer) with room for jitter, and a dead node costs little.
const GRACE_ROUND_TRIPS = 1.5

// idle: not opened; loading: reading the table or bootstrap nodes; running: visiting;
// committing: traversal over, commits running; ended: end pushed
type Phase = 'idle' | 'loading' | 'running' | 'committing' | 'ended'

/**
 * A lookup of `target` with `command` (and `value`). Read it as a stream or an async iterator
 * of every reply with status 0 (through `map`), or `await query.finished()`. Afterwards
 * `closestReplies` and `closestNodes` hold the up to k = 20 closest nodes that answered.
 */
export class Query<D = unknown, T = IncomingReply> extends Readable<QueryEvents<T>> {
  readonly target: Uint8Array
  readonly command: string
  readonly value: Uint8Array | null
  /** How many closest replies a query keeps (Kademlia's k). */
  readonly k: number = K
  /** Replies with status 0. */
  successes = 0
  /** Replies with another status, failed requests, and stalled requests given up at the end. */
  errors = 0

  readonly #host: QueryHost
  readonly #clock: Clock
  readonly #owner: D
  readonly #map: (reply: IncomingReply) => T | null | undefined
  readonly #commit: ((reply: IncomingReply) => unknown) | null
  readonly #seeds: QueryNode[] | null
  readonly #closest: ClosestReplies
  readonly #candidates: Candidates
  readonly #frontier: Frontier
  readonly #visits = new Set<Visit>()
  readonly #commits = new Set<QueryRequest>()
  /** When each of the closest replies arrived: an auto-commit renews a token gone stale. */
  readonly #answeredAt = new WeakMap<IncomingReply, number>()
  readonly #admits = (id: Uint8Array): boolean => this.#frontier.admits(id)
  #concurrency: number
  #active = 0
  #stalled = 0
  #traverseScheduled = false
  /** The longest a request took to be answered, from its first send, ms. */
  #slowestAnswer = 0
  #graceTimer: TimerHandle | null = null
  #phase: Phase = 'idle'
  #fromTable: boolean
  #paused = false
  #pumping = false
  #repump = false
  #stopped = false

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
    this.#owner = owner
    this.target = target
    this.command = command
    this.value = value
    this.#concurrency = opts?.concurrency ?? K
    this.#map = opts?.map ?? (identity as (reply: IncomingReply) => T)
    this.#commit = this.#commitOf(opts?.commit)
    this.#seeds = seedsOf(opts)
    this.#fromTable = this.#seeds === null
    this.#closest = new ClosestReplies(target, this.k)
    this.#candidates = new Candidates(target)
    this.#frontier = new Frontier(target, this.k)
  }

  /** Requests sent and not yet answered (stalled ones included). */
  get inflight (): number {
    return this.#visits.size
  }

  /** Requests in flight that were re-sent at least once and no longer hold a slot. */
  get stalled (): number {
    return this.#stalled
  }

  /** Requests that may wait for an answer at once, stalled ones not counted. Background lookups lower it. */
  get concurrency (): number {
    return this.#concurrency
  }

  set concurrency (n: number) {
    assertConcurrency(n)
    this.#concurrency = n
    this.#pump()
  }

  /** The up to k replies with status 0 and an id, nearest to the target first, one per id. */
  get closestReplies (): readonly IncomingReply[] {
    return this.#closest.replies
  }

  /** `{ id, host, port }` of each of {@link closestReplies}. */
  get closestNodes (): ClosestNode[] {
    return this.#closest.replies.map((r) => ({ id: r.id, host: r.from.host, port: r.from.port }))
  }

  /**
   * Resolves when the stream has closed, rejects with its error. Reads the stream to its end
   * (resume) so a query nobody else reads still runs. A plain `destroy()` resolves it.
   */
  finished (): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        const err = getStreamError(this)
        if (err === null) resolve()
        else reject(err)
      }
      if (this.destroyed) {
        settle()
        return
      }
      const onerror = (): void => {} // the error is read from the stream on close
      const onclose = (): void => {
        this.removeListener('error', onerror)
        this.removeListener('close', onclose)
        settle()
      }
      this.on('error', onerror)
      this.on('close', onclose)
      this.resume()
    })
  }

  override [Symbol.asyncIterator] (): AsyncIterator<T> {
    return super[Symbol.asyncIterator]() as AsyncIterator<T>
  }

  override _open (cb: (err: Error | null) => void): void {
    this.#phase = 'loading'
    let loading: Promise<void>
    try {
      if (this.#seeds === null) loading = this.#loadFromTable()
      else {
        this.#addAll(this.#seeds)
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

  override _read (cb: (err: Error | null) => void): void {
    this.#paused = false
    this.#pump()
    cb(null)
  }

  override _predestroy (): void {
    this.#stop()
  }

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
    const added = this.#addAll(this.#host.closest(this.target, this.k))
    if (added >= this.k) return
    let bootstrap: readonly QueryNode[]
    try {
      bootstrap = await this.#host.bootstrapNodes()
    } catch {
      bootstrap = [] // a failed lookup of the bootstrap hosts leaves the query with what it has
    }
    if (!this.#stopped) this.#addAll(bootstrap)
  }

  // queues nodes (not our own id, not seen before); returns how many were new
  #addAll (nodes: readonly QueryNode[]): number {
    let added = 0
    for (const node of nodes) {
      if (node.id !== null && sameId(node.id, this.#host.id)) continue
      if (this.#candidates.add(node, node.id)) added++
    }
    return added
  }

  // queues the closerNodes of a reply that could still be among the k closest
  #addCloser (nodes: IncomingReply['closerNodes']): void {
    if (nodes === null) return
    const own = this.#host.id
    const host = this.#host
    for (const peer of nodes) {
      if (this.#candidates.has(peer)) continue
      // closerNodes come decoded: always a valid IPv4 address
      const nodeId = host.idOf !== undefined ? host.idOf(peer) : idOfAddress(peer.host, peer.port)
      if (sameId(nodeId, own)) {
        this.#candidates.skip(peer)
        continue
      }
      // the k-th closest reply only moves nearer, so a node refused now is refused for good;
      // closerNodes come nearest first, so the rest of the list would be refused too
      if (!this.#closest.admits(nodeId)) break
      this.#candidates.add(peer, nodeId)
    }
  }

  #pump (): void {
    if (this.#pumping) {
      this.#repump = true // a handler ran inside send(); the outer loop goes again
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
    while (!this.#paused && this.#active < this.#concurrency) {
      const next = this.#candidates.take(this.#admits)
      if (next === null) break
      this.#visit(next)
    }
    if (this.#onlyStalledLeft()) {
      if (this.#visits.size === 0) this.#traversed()
      else this.#traverseSoon()
    }
  }

  // nothing admissible is waiting and no request holds a slot
  #onlyStalledLeft (): boolean {
    return this.#active === 0 && !this.#candidates.hasAdmissible(this.#admits)
  }

  // Only stalled requests are left. A stalled event loop runs its due timers before it reads
  // the socket, so every request can look unanswered at once while their replies wait to be
  // read: decide on the next turn of the loop, after they have been.
  #traverseSoon (): void {
    if (this.#traverseScheduled) return
    this.#traverseScheduled = true
    const defer = this.#host.defer?.bind(this.#host) ?? setImmediate
    defer(() => {
      this.#traverseScheduled = false
      if (this.#phase !== 'running' || this.#stopped) return
      if (!this.#onlyStalledLeft()) this.#pump()
      else if (!this.#holdForGrace()) this.#traversed()
    })
  }

  // Waits (true) while a stalled request is still worth waiting for (see the rule at the top);
  // checks again when the first grace ends, or at the next re-send, answer or failure.
  #holdForGrace (): boolean {
    this.#clearGrace() // an answer may have ended the grace it waited on
    const now = this.#clock.now()
    const grace = GRACE_ROUND_TRIPS * this.#slowestAnswer
    const full = this.#closest.size >= this.k
    let until = Infinity
    for (const visit of this.#visits) {
      if (!visit.stalled) continue
      if (full) {
        if (visit.id === null || !this.#closest.admits(visit.id)) continue
        const end = Math.max(visit.stalledAt + grace, visit.unknown ? visit.sentAt + INITIAL_RTO : 0)
        if (end > now) until = Math.min(until, end)
        continue
      }
      if (visit.sends < MAX_SENDS || this.#slowestAnswer === 0) return true // an event will come
      if (visit.lastSentAt + grace > now) until = Math.min(until, visit.lastSentAt + grace)
    }
    if (until === Infinity) return false
    this.#graceTimer = this.#clock.setTimeout(() => {
      this.#graceTimer = null
      this.#pump()
    }, until - now)
    return true
  }

  #clearGrace (): void {
    if (this.#graceTimer === null) return
    this.#clock.clearTimeout(this.#graceTimer)
    this.#graceTimer = null
  }

  #visit (node: QueryNode): void {
    const now = this.#clock.now()
    const unknown = this.#host.roundTrip !== undefined && this.#host.roundTrip(node) === null
    const visit: Visit = { req: null, id: node.id, onFrontier: node.id !== null, sentAt: now, stalled: false, stalledAt: 0, sends: 1, lastSentAt: now, unknown, settled: false }
    if (node.id !== null) this.#frontier.add(node.id)
    this.#visits.add(visit)
    this.#active++
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
        onreply: (reply) => this.#onreply(visit, reply),
        onerror: (err) => this.#onerror(visit, err),
        onresend: (sends) => this.#onresend(visit, sends)
      })
      if (!visit.settled) visit.req = req
    } catch (err) {
      this.#onerror(visit, err)
    }
  }

  // ends a visit once; false when it had already ended (or the query stopped)
  #settle (visit: Visit): boolean {
    if (visit.settled || this.#stopped) return false
    visit.settled = true
    this.#visits.delete(visit)
    if (visit.stalled) this.#stalled--
    else this.#active--
    return true
  }

  #onreply (visit: Visit, reply: IncomingReply): void {
    if (!this.#settle(visit)) return
    // from the first send: a reply to a re-sent request may answer either send, and the
    // longer time is the patient one
    this.#slowestAnswer = Math.max(this.#slowestAnswer, this.#clock.now() - visit.sentAt)
    const ok = reply.status === 0
    if (ok) this.successes++
    else this.errors++
    if (ok && reply.id !== null) {
      if (this.#closest.add(reply as IdentifiedReply)) this.#answeredAt.set(reply, this.#clock.now())
    } else {
      this.#leaveFrontier(visit)
    }
    this.#addCloser(reply.closerNodes)
    if (ok) this.#emit(reply)
    this.#pump()
  }

  #onerror (visit: Visit, _err: unknown): void {
    if (!this.#settle(visit)) return
    this.#leaveFrontier(visit)
    this.errors++
    this.#pump()
  }

  // before each re-send, with the sends so far
  #onresend (visit: Visit, sends: number): void {
    if (visit.settled || this.#stopped) return
    visit.sends = sends + 1
    visit.lastSentAt = this.#clock.now()
    if (!visit.stalled) {
      visit.stalled = true
      visit.stalledAt = visit.lastSentAt
      this.#leaveFrontier(visit)
      this.#active--
      this.#stalled++
    }
    this.#pump()
  }


  #leaveFrontier (visit: Visit): void {
    if (!visit.onFrontier || visit.id === null) return
    this.#frontier.remove(visit.id)
    visit.onFrontier = false
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

  // nothing admissible is waiting and every request in flight is stalled
  #traversed (): void {
    if (!this.#fromTable && this.successes < this.k / 4) {
      // most seeds were stale: carry on from the routing table, as dht-rpc does
      this.#phase = 'loading'
      this.#loadFromTable().then(() => {
        if (this.#phase !== 'loading') return
        this.#phase = 'running'
        this.#pump()
      }, (err: unknown) => this.destroy(err as Error))
      return
    }
    this.#phase = 'committing'
    this.errors += this.#visits.size // the stalled ones, given up
    this.#cancelAll()
    this.#finish()
  }

  #finish (): void {
    const commit = this.#commit
    if (commit === null) {
      this.#end()
      return
    }
    const replies = this.#closest.replies.slice()
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

  #stop (): void {
    if (this.#stopped) return
    this.#cancelAll()
    this.#stopped = true
    this.#candidates.clear()
    for (const req of [...this.#commits]) req.cancel()
    this.#commits.clear()
  }

  // cancels every visit in flight; their handlers ignore the cancellation
  #cancelAll (): void {
    this.#clearGrace()
    const visits = [...this.#visits]
    this.#visits.clear()
    this.#active = 0
    this.#stalled = 0
    for (const visit of visits) {
      visit.settled = true
      visit.req?.cancel(CANCELLED)
    }
  }
}

function identity<R> (reply: R): R {
  return reply
}

function sameId (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

// One iterative Kademlia lookup as a plain state, with no timers, no streams and no I/O: which
// node to ask next, what an answer, a failure or a re-send does, and when the lookup is done.
// The driver (query.ts) owns the clock, the requests and the stream: it tells the lookup what
// happened, with the time, and asks it what to do.
//
// Which nodes to ask: candidates come from the seeds and from the closer nodes of every
// answer, nearest first, each address once, never our own id; one is asked only while it
// would rank among the k nearest nodes asked so far that answered well or are still awaited
// (the frontier), so no request is spent on a node that cannot change the result.
//
// When to stop waiting. A request re-sent once (its peer missed its round-trip estimate) is
// stalled: it stops holding a concurrency slot, so a silent node does not hold the others
// back. Once nothing else is left, the lookup waits on its stalled requests:
// - holding k replies, for one that could still rank among them, one and a half of the
//   lookup's slowest answer times after its first re-send (and, for a peer the node has no
//   round trip for, at least the patient initial wait of @dht/io from the first send, for it
//   may be far): after churn, a dead node costs a lookup little;
// - holding fewer, for every request until its last send has gone out, and then, once any
//   node has answered, one and a half of the slowest answer times more. A lookup that has
//   heard nothing yet waits for its requests to be answered or to time out: handlers that take
//   seconds (the same command is slow everywhere) still answer it.

import { INITIAL_RTO, MAX_SENDS } from '@dht/io'
import type { IncomingReply } from '@dht/io'
import { equalIds } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { Candidates } from './candidates.js'
import { ClosestReplies } from './closest.js'
import type { IdentifiedReply } from './closest.js'
import { Frontier } from './frontier.js'
import type { QueryNode } from './host.js'

/** Answer times of the slowest answer a stalled request is given after its re-send. */
export const GRACE_ANSWERS = 1.5

/** A request of the lookup, from its first send to its answer, failure or cancellation. */
export interface Visit {
  /** The node asked. */
  readonly node: QueryNode
  /** When the first send went out. */
  readonly sentAt: number
  /** The node's peer has no round-trip estimate at the host: it may be far. */
  readonly unknown: boolean
  /** Re-sent at least once, since `stalledAt`: it holds no concurrency slot. */
  stalled: boolean
  /** When it was first re-sent (0 until then). */
  stalledAt: number
  /** Sends so far, and when the last went out. */
  sends: number
  /** When the last send went out. */
  lastSentAt: number
  /** Still among the frontier's ids (until it answers badly, fails or stalls). */
  onFrontier: boolean
  /** Answered, failed or cancelled: nothing it does counts any more. */
  ended: boolean
}

/** What the lookup does next, from {@link Lookup.next}. */
export type Next =
  /** Ask this node (record it with {@link Lookup.sent}). */
  | {
    /** Ask. */
    readonly type: 'ask'
    /** The node to ask. */
    readonly node: QueryNode
  }
  /** Wait for an answer, a failure or a re-send. */
  | {
    /** Wait. */
    readonly type: 'wait'
  }
  /** Wait, but no longer than until `at` (then ask again). */
  | {
    /** Wait a while. */
    readonly type: 'wait-until'
    /** When to ask again, by the clock the lookup is told the time by. */
    readonly at: number
  }
  /** The traversal is over: cancel what {@link Lookup.giveUp} returns. */
  | {
    /** Done. */
    readonly type: 'done'
  }

const WAIT: Next = { type: 'wait' }
const DONE: Next = { type: 'done' }

/** The options of a {@link Lookup}. */
export interface LookupOptions {
  /** How many closest replies the lookup keeps (Kademlia's k). */
  k: number
  /** The node's own id: closer nodes with it are never asked. */
  ownId: Uint8Array
  /** The routing id of a node named by address. */
  nodeId: (host: string, port: number) => Uint8Array
}

/**
 * One iterative Kademlia lookup as a plain state, with no timers, no streams and no I/O:
 * the driver asks it what to do ({@link Lookup.next}) and tells it what happened, with the
 * time ({@link Lookup.sent}, {@link Lookup.answered}, {@link Lookup.failed},
 * {@link Lookup.resent}), until it is done.
 */
export class Lookup {
  /** The 32-byte key the lookup looks for. */
  readonly target: Uint8Array
  /** How many closest replies it keeps. */
  readonly k: number
  /** Answers with status 0. */
  successes = 0
  /** Answers with another status, failed requests, and stalled requests given up at the end. */
  errors = 0

  private readonly ownId: Uint8Array
  private readonly nodeId: (host: string, port: number) => Uint8Array
  private readonly closest: ClosestReplies
  private readonly candidates: Candidates
  private readonly frontier: Frontier
  private readonly admits = (id: Uint8Array): boolean => this.frontier.admits(id)
  private readonly visits = new Set<Visit>()
  private active = 0
  /** The longest an answer took, from its request's first send, ms. */
  private slowestAnswer = 0

  constructor (target: Uint8Array, opts: LookupOptions) {
    this.target = target
    this.k = opts.k
    this.ownId = opts.ownId
    this.nodeId = opts.nodeId
    this.closest = new ClosestReplies(target, opts.k)
    this.candidates = new Candidates(target)
    this.frontier = new Frontier(target, opts.k)
  }

  /** The up to k answers with status 0 and an id, nearest to the target first, one per id. */
  get replies (): readonly IdentifiedReply[] {
    return this.closest.replies
  }

  /** Requests awaited, stalled ones included. */
  get inflight (): number {
    return this.visits.size
  }

  /** Requests awaited that were re-sent and hold no concurrency slot. */
  get stalled (): number {
    return this.visits.size - this.active
  }

  /** Queues nodes to ask (not our own id, not an address seen before); returns how many were new. */
  add (nodes: readonly QueryNode[]): number {
    let added = 0
    for (const node of nodes) {
      if (node.id !== null && equalIds(node.id, this.ownId)) continue
      if (this.candidates.add(node, node.id)) added++
    }
    return added
  }

  /**
   * What to do now, at `now`, when up to `width` requests may hold a slot. After an 'ask',
   * call {@link sent}; keep asking until the answer is something else.
   */
  next (width: number, now: number): Next {
    if (this.active < width) {
      const node = this.candidates.take(this.admits)
      if (node !== null) return { type: 'ask', node }
    }
    if (this.active > 0 || this.candidates.hasAdmissible(this.admits)) return WAIT
    return this.waitOnStalled(now)
  }

  /** Records the first send of a request to `node`, which `next` said to ask. */
  sent (node: QueryNode, now: number, unknown: boolean): Visit {
    const visit: Visit = { node, sentAt: now, unknown, stalled: false, stalledAt: 0, sends: 1, lastSentAt: now, onFrontier: node.id !== null, ended: false }
    if (node.id !== null) this.frontier.add(node.id)
    this.visits.add(visit)
    this.active++
    return visit
  }

  /** The request was re-sent (`sends` so far, before this one). */
  resent (visit: Visit, sends: number, now: number): void {
    if (visit.ended) return
    visit.sends = sends + 1
    visit.lastSentAt = now
    if (visit.stalled) return
    visit.stalled = true
    visit.stalledAt = now
    this.leaveFrontier(visit)
    this.active--
  }

  /**
   * An answer came. Returns true when it counts as a success (status 0): the driver streams
   * it. Its closer nodes are queued while they could still rank among the k closest.
   */
  answered (visit: Visit, reply: IncomingReply, now: number): boolean {
    if (!this.end(visit)) return false
    // from the first send: a reply to a re-sent request may answer either send, and the longer
    // time is the patient one
    this.slowestAnswer = Math.max(this.slowestAnswer, now - visit.sentAt)
    const ok = reply.status === 0
    if (ok) this.successes++
    else this.errors++
    if (ok && reply.id !== null) this.closest.add(reply as IdentifiedReply)
    else this.leaveFrontier(visit)
    this.addCloser(reply.closerNodes)
    return ok
  }

  /** The request failed (timed out, or could not be sent). */
  failed (visit: Visit): void {
    if (!this.end(visit)) return
    this.leaveFrontier(visit)
    this.errors++
  }

  /**
   * Ends the traversal: every request still awaited is given up (counted as an error when the
   * traversal is over, not when it is stopped) and returned, for the driver to cancel. Nothing
   * more is asked.
   */
  giveUp (countAsErrors: boolean): Visit[] {
    const left = [...this.visits]
    for (const visit of left) visit.ended = true
    if (countAsErrors) this.errors += left.length
    this.visits.clear()
    this.active = 0
    this.candidates.clear()
    return left
  }

  // Only stalled requests are left, and nothing admissible to ask: done, or how long to wait.
  private waitOnStalled (now: number): Next {
    if (this.visits.size === 0) return DONE
    const grace = GRACE_ANSWERS * this.slowestAnswer
    const full = this.closest.size >= this.k
    let until = Infinity
    for (const visit of this.visits) {
      let end: number
      if (full) {
        const id = visit.node.id
        if (id === null || !this.closest.admits(id)) continue // it cannot change the result
        end = Math.max(visit.stalledAt + grace, visit.unknown ? visit.sentAt + INITIAL_RTO : 0)
      } else {
        if (visit.sends < MAX_SENDS || this.slowestAnswer === 0) return WAIT // its next send or its answer
        end = visit.lastSentAt + grace
      }
      if (end > now) until = Math.min(until, end)
    }
    return until === Infinity ? DONE : { type: 'wait-until', at: until }
  }

  // ends a visit once; false when it had ended already
  private end (visit: Visit): boolean {
    if (visit.ended) return false
    visit.ended = true
    this.visits.delete(visit)
    if (!visit.stalled) this.active--
    return true
  }

  // queues the closer nodes of an answer that could still be among the k closest; each
  // address is claimed (marked seen) in one step, checked and added at once
  private addCloser (nodes: readonly Peer[] | null): void {
    if (nodes === null) return
    for (const peer of nodes) {
      if (!this.candidates.claim(peer)) continue
      const id = this.nodeId(peer.host, peer.port)
      if (equalIds(id, this.ownId)) continue
      // the k-th closest reply only moves nearer, so a node refused now is refused for good;
      // closer nodes come nearest first, so the rest of the list would be refused too
      if (!this.closest.admits(id)) break
      this.candidates.queue(peer, id)
    }
  }

  private leaveFrontier (visit: Visit): void {
    if (!visit.onFrontier || visit.node.id === null) return
    this.frontier.remove(visit.node.id)
    visit.onFrontier = false
  }
}


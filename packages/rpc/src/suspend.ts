// Suspending a node and resuming it: an app going to the background stops the node's timers
// and traffic without destroying it, and on its way back finds out what the time away
// changed. While suspended the node sends nothing and takes nothing in; what was in flight
// failed with IOError SUSPENDED. On resume it pings its routing table and drops the nodes
// that left meanwhile, and when most of them left, looks up its own id again as it did to
// join, through the bootstrap nodes when its table alone cannot lead it back.

import { IOError, isIOError } from '@dht/io'
import type { Peer } from '@dht/wire'
import type { NodeState } from './node-state.js'
import type { NodeEntry } from './types.js'

/**
 * How long a ping of the resume check waits for its reply at most, re-sends included. A ping
 * is answered by the node itself at once, so it needs none of the time a request leaves for
 * a handler's work; and every node that left during the suspension holds the check for this
 * long, while a live node wrongly dropped is met again by the next lookups.
 */
const CHECK_PING_TIMEOUT = 2000

/**
 * The table is stale when fewer than this share of its nodes answer the check: what is left
 * covers too little of the network for the lookups that refill it, so the node bootstraps
 * again. (The upkeep's own pings check only a few of the stalest entries at a time, and after
 * a long suspension most entries can be gone.)
 */
const STALE_SHARE = 1 / 2

/** What suspending and resuming need from their node. */
export interface SuspendHost {
  /** The node's table and flags (a node not bootstrapped yet runs its join lookup again after a resume). */
  readonly state: NodeState
  /** Pings of the resume check in flight at once: as many requests as one lookup keeps. */
  checkWidth (): number
  /** The node's request timeout: a ping of the check waits no longer. */
  readonly requestTimeout: number
  /** Stops the timers and the traffic, and fails what is in flight with SUSPENDED. */
  stop (): void
  /** Starts the timers and the traffic again, and forgets the samples of the node's address. */
  start (): void
  /** Pings `node`; the reply's id is null unless it is `node`'s, checked. */
  ping (node: Peer, timeout: number): Promise<{ id: Uint8Array | null }>
  removeNode (node: NodeEntry): void
  /**
   * A lookup of the node's own id, which asks the bootstrap nodes when the table gives fewer
   * than k nodes (or none of them answers). Resolves when it ends, however it ends.
   */
  bootstrap (): Promise<void>
  emit (event: 'suspend' | 'resume'): void
}

/** Whether a node is suspended, and what suspending and resuming it do. */
export class Suspension {
  readonly #host: SuspendHost
  #suspended = false
  // counts the suspensions: a resume check that sees it change was cut short by the next one
  #epoch = 0
  #resuming: Promise<void> | null = null
  #waiting: Array<() => void> = []

  constructor (host: SuspendHost) {
    this.#host = host
  }

  /** True from `suspend()` to the next `resume()`. */
  get suspended (): boolean {
    return this.#suspended
  }

  /** Stops the node's timers and traffic; resolves at once when it is suspended or destroyed already. */
  suspend (): Promise<void> {
    const host = this.#host
    if (this.#suspended || host.state.destroyed) return Promise.resolve()
    this.#suspended = true
    this.#epoch++
    host.stop()
    host.emit('suspend')
    return Promise.resolve()
  }

  /**
   * Starts the node's timers and traffic again, then checks its routing table (see the top of
   * this file). Resolves when the check is done, or cut short by another suspend(); rejects
   * with DESTROYED when the node is destroyed first. Not suspended: the check under way, if any.
   */
  resume (): Promise<void> {
    const host = this.#host
    if (host.state.destroyed) return Promise.reject(IOError.DESTROYED())
    if (!this.#suspended) return this.#resuming ?? Promise.resolve()
    this.#suspended = false
    const epoch = this.#epoch // a 'resume' listener that suspends again cuts the check short
    host.start()
    for (const wake of this.#waiting.splice(0)) wake()
    host.emit('resume')
    const resuming = this.#check(epoch).finally(() => {
      if (this.#resuming === resuming) this.#resuming = null
    })
    this.#resuming = resuming
    return resuming
  }

  /** Resolves once the node is not suspended (at once if it is not), or is destroyed. */
  resumed (): Promise<void> {
    if (!this.#suspended || this.#host.state.destroyed) return Promise.resolve()
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  /** The node was destroyed: nothing waits for a resume any more. */
  close (): void {
    for (const wake of this.#waiting.splice(0)) wake()
  }

  // Pings every node of the table, `checkWidth` at a time, dropping those that do not answer
  // with their id; bootstraps again when too few did.
  async #check (epoch: number): Promise<void> {
    const host = this.#host
    if (!host.state.bootstrapped) return // the join under way runs its lookup again
    const over = (): boolean => this.#epoch !== epoch || host.state.destroyed
    const nodes = host.state.table.toArray()
    const timeout = Math.min(host.requestTimeout, CHECK_PING_TIMEOUT)
    let next = 0
    let answered = 0
    const pinger = async (): Promise<void> => {
      while (next < nodes.length && !over()) {
        const node = nodes[next++]!
        try {
          const reply = await host.ping(node, timeout)
          if (reply.id !== null) answered++
          else host.removeNode(node) // someone else answers there now
        } catch (err) {
          // a ping cut short by suspend() or destroy() says nothing about the node
          if (!isIOError(err, 'SUSPENDED') && !isIOError(err, 'DESTROYED')) host.removeNode(node)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(host.checkWidth(), nodes.length) }, pinger))
    if (host.state.destroyed) throw IOError.DESTROYED()
    if (over()) return
    if (answered === 0 || answered < nodes.length * STALE_SHARE) await host.bootstrap()
    if (host.state.destroyed) throw IOError.DESTROYED()
  }
}

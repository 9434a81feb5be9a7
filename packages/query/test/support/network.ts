// A fake dht-rpc network for lookups, with no sockets: every node has a Kademlia routing
// table of the others (@dht/table, filled in a seeded order, so far buckets hold a sample)
// and answers any command with the 20 nodes of its table closest to the target. Replies
// arrive on setImmediate (or after a delay on the manual clock); dead nodes never answer,
// and their requests are re-sent and time out on the manual clock the way @dht/io does it.

import { IOError } from '@dht/io'
import type { IncomingReply, RequestHandlers, RequestMessage, RequestOptions } from '@dht/io'
import { ManualClock, SeededRandom } from '@dht/sim'
import { RoutingTable } from '@dht/table'
import type { QueryHost, QueryNode, QueryRequest } from '@dht/query'
import { byDistance, fakeId } from './ids.js'

export const PORT = 49737
/** When @dht/io re-sends a silent request to a peer it has no round trip for (ms after the previous send), then gives up: 6 s after the first send. */
export const RESEND_WAITS = [1000, 1500, 1500, 2000] as const
/** When the last of those fires, counted from the first send. */
export const FULL_TIMEOUT = RESEND_WAITS.reduce((a, b) => a + b, 0)

export interface FakeNode {
  readonly host: string
  readonly port: number
  readonly id: Uint8Array
  alive: boolean
  readonly table: RoutingTable
  /** The round-trip token this node hands out, and accepts back. */
  readonly token: Uint8Array
}

/** What a node answers; `delay` (ms on the manual clock) instead of the next setImmediate. */
export interface FakeReply {
  status?: number
  id?: Uint8Array | null
  token?: Uint8Array | null
  closerNodes?: ReadonlyArray<{ host: string, port: number }> | null
  value?: Uint8Array | null
  delay?: number
}

/** Decides a live node's answer; null means it stays silent. */
export type Responder = (node: FakeNode, m: RequestMessage, net: FakeNetwork) => FakeReply | null

export type SentState = 'inflight' | 'replied' | 'failed' | 'timeout' | 'cancelled'

export interface Sent {
  readonly m: RequestMessage
  readonly opts: RequestOptions | undefined
  readonly at: number
  /** Requests in flight and not yet re-sent, this one included, right after it was sent. */
  readonly activeAtSend: number
  state: SentState
  resends: number
  /** The error the request was cancelled with. */
  cancelError?: IOError
}

export interface NetworkOptions {
  /** Nodes in the network. @default 300 */
  size?: number
  /** Fraction of them that never answer. @default 0 */
  dead?: number
  /** Seeds the table fill order and which nodes die. @default 1 */
  seed?: number
  /** Round-trip time of every reply on the manual clock. @default none: replies come on setImmediate */
  latency?: number
  /** The re-send schedule. @default RESEND_WAITS (what @dht/io does before it has learned a round-trip time) */
  resendWaits?: readonly number[]
}

export interface HostOptions {
  /** The querying node's address; it is not a node of the network unless told so. @default 10.255.0.1 */
  host?: string
  /** What the querying node's table holds. @default every node of the network */
  table?: readonly FakeNode[]
  bootstrap?: readonly QueryNode[]
  /** @default the host's id (a persistent node) */
  requestId?: Uint8Array | null
}

export class FakeNetwork {
  readonly clock = new ManualClock()
  readonly random: SeededRandom
  readonly nodes: FakeNode[] = []
  readonly sent: Sent[] = []
  /** Requests with a valid token, by node. */
  readonly commits: Array<{ node: FakeNode, m: RequestMessage }> = []
  responder: Responder = answerWithTable
  readonly latency: number | undefined
  readonly resendWaits: readonly number[]
  /** The most requests in flight and not re-sent at any one time. */
  maxActive = 0
  private readonly byAddress = new Map<string, FakeNode>()
  private active = 0
  private immediate = 0

  constructor (opts: NetworkOptions = {}) {
    const size = opts.size ?? 300
    this.random = new SeededRandom(opts.seed ?? 1)
    this.latency = opts.latency
    this.resendWaits = opts.resendWaits ?? RESEND_WAITS
    for (let i = 0; i < size; i++) {
      const host = `10.0.${(i + 1) >> 8}.${(i + 1) & 0xff}`
      const id = fakeId(host, PORT)
      const token = new Uint8Array(32).fill(i & 0xff)
      token[0] = 0x7e
      const node: FakeNode = { host, port: PORT, id, alive: true, table: new RoutingTable(id), token }
      this.nodes.push(node)
      this.byAddress.set(`${host}:${PORT}`, node)
    }
    for (const node of this.nodes) fill(node.table, this.shuffled(this.nodes))
    const dead = Math.round(size * (opts.dead ?? 0))
    for (const node of this.shuffled(this.nodes).slice(0, dead)) node.alive = false
  }

  node (host: string, port: number): FakeNode | undefined {
    return this.byAddress.get(`${host}:${port}`)
  }

  /** The n live nodes nearest to target, by brute force. */
  trueClosest (target: Uint8Array, n = 20): FakeNode[] {
    return byDistance(target, this.nodes.filter((x) => x.alive)).slice(0, n)
  }

  /** A QueryHost for a node that queries this network. */
  host (opts: HostOptions = {}): FakeHost {
    return new FakeHost(this, opts)
  }

  /** Replies are still waiting for their setImmediate. */
  get busy (): boolean {
    return this.immediate > 0
  }

  /** Requests sent and not settled. */
  get inflight (): number {
    return this.sent.filter((s) => s.state === 'inflight').length
  }

  send (m: RequestMessage, opts: RequestOptions | undefined, handlers: RequestHandlers): QueryRequest {
    this.active++
    this.maxActive = Math.max(this.maxActive, this.active)
    const sent: Sent = { m, opts, at: this.clock.now(), activeAtSend: this.active, state: 'inflight', resends: 0 }
    this.sent.push(sent)
    const timers: unknown[] = []
    const settle = (state: SentState): boolean => {
      if (sent.state !== 'inflight') return false
      if (sent.resends === 0) this.active--
      sent.state = state
      for (const t of timers) this.clock.clearTimeout(t)
      return true
    }
    const node = this.node(m.to.host, m.to.port)
    const answer = node !== undefined && node.alive ? this.responder(node, m, this) : null
    if (node !== undefined && answer !== null) {
      const deliver = (): void => {
        const reply = toReply(node, m, answer)
        const ok = reply.status === 0 || opts?.expectOk === false
        if (!settle(ok ? 'replied' : 'failed')) return
        if (ok) handlers.onreply(reply)
        else handlers.onerror(IOError.REQUEST_FAILED(m.command, reply.status))
      }
      const delay = answer.delay ?? this.latency
      if (delay === undefined) {
        this.immediate++
        setImmediate(() => {
          this.immediate--
          deliver()
        })
      } else {
        timers.push(this.clock.setTimeout(deliver, delay))
      }
    }
    // no reply within a wait: re-send (tell the handler), and after the last one time out
    let at = 0
    const waits = this.resendWaits
    waits.forEach((wait, i) => {
      at += wait
      timers.push(this.clock.setTimeout(() => {
        if (sent.state !== 'inflight') return
        if (i === waits.length - 1) {
          settle('timeout')
          handlers.onerror(IOError.REQUEST_TIMEOUT(m.command, m.to.host, m.to.port, waits.length, at))
          return
        }
        if (sent.resends++ === 0) this.active--
        handlers.onresend?.(i + 1)
      }, at))
    })
    return {
      cancel: (err = IOError.REQUEST_CANCELLED()) => {
        if (!settle('cancelled')) return
        sent.cancelError = err
        handlers.onerror(err)
      }
    }
  }

  private shuffled<X> (items: readonly X[]): X[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.random.next() * (i + 1))
      const t = out[i]!
      out[i] = out[j]!
      out[j] = t
    }
    return out
  }
}

export class FakeHost implements QueryHost {
  readonly id: Uint8Array
  readonly address: { host: string, port: number }
  requestId: Uint8Array | null
  readonly table: RoutingTable
  bootstrap: readonly QueryNode[]
  bootstrapCalls = 0
  closestCalls = 0
  private readonly net: FakeNetwork

  constructor (net: FakeNetwork, opts: HostOptions) {
    this.net = net
    this.address = { host: opts.host ?? '10.255.0.1', port: PORT }
    this.id = fakeId(this.address.host, this.address.port)
    this.requestId = opts.requestId === undefined ? this.id : opts.requestId
    this.table = new RoutingTable(this.id)
    fill(this.table, opts.table ?? net.nodes)
    this.bootstrap = opts.bootstrap ?? []
  }

  closest (target: Uint8Array, n: number): QueryNode[] {
    this.closestCalls++
    return this.table.closest(target, n).map((e) => ({ id: e.id, host: e.host, port: e.port }))
  }

  async bootstrapNodes (): Promise<readonly QueryNode[]> {
    this.bootstrapCalls++
    return this.bootstrap
  }

  send (m: RequestMessage, opts: RequestOptions | undefined, handlers: RequestHandlers): QueryRequest {
    return this.net.send(m, opts, handlers)
  }

  defer (fn: () => void): void {
    this.net.clock.setTimeout(fn, 0)
  }

  get clock (): ManualClock {
    return this.net.clock
  }
}

/** The default answer: status 0, the node's id, its 20 closest to the target, a token for user commands. */
export function answerWithTable (node: FakeNode, m: RequestMessage, net: FakeNetwork): FakeReply {
  if (m.token !== null) {
    const valid = m.token.every((b, i) => b === node.token[i])
    if (valid) net.commits.push({ node, m })
    return { status: valid ? 0 : 2 }
  }
  return { status: 0, token: m.command === 'find_node' ? null : node.token }
}

function toReply (node: FakeNode, m: RequestMessage, answer: FakeReply): IncomingReply {
  const closerNodes = answer.closerNodes !== undefined
    ? answer.closerNodes
    : m.target === null ? null : node.table.closest(m.target, 20).map((e) => ({ host: e.host, port: e.port }))
  return {
    type: 'reply',
    tid: 0,
    from: { host: node.host, port: node.port },
    to: { host: '10.255.0.1', port: PORT },
    id: asBuffer(answer.id === undefined ? node.id : answer.id),
    token: asBuffer(answer.token ?? null),
    closerNodes: closerNodes === null || closerNodes.length === 0 ? null : closerNodes,
    status: answer.status ?? 0,
    value: asBuffer(answer.value ?? null)
  }
}

// what @dht/io hands up: Buffers
function asBuffer (bytes: Uint8Array | null): Buffer | null {
  return bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function fill (table: RoutingTable, nodes: readonly FakeNode[]): void {
  for (const node of nodes) table.add({ id: node.id, host: node.host, port: node.port }, 0)
}

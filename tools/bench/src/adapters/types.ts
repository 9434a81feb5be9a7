/**
 * One shape for the three implementations, so that every suite is written once:
 * a network of persistent nodes on loopback in this process, and what a suite does with a node.
 */

export type ImplKey = 'ours' | 'rc6' | 'v6'

export const IMPLS: readonly ImplKey[] = ['ours', 'rc6', 'v6']

export const LABELS: Record<ImplKey, string> = {
  ours: '@dht/rpc',
  rc6: 'dht-rpc 5.0.0-rc.6',
  v6: 'dht-rpc 6.27.0'
}

/** Short names for table columns. */
export const SHORT: Record<ImplKey, string> = { ours: 'ours', rc6: 'rc.6', v6: 'v6' }

/** Every socket binds here and every datagram goes here. */
export const HOST = '127.0.0.1'

export interface Peer { host: string, port: number }

/** A reply as a lookup streams it, reduced to who sent it. */
export interface LookupReply { from: Peer }

export type LookupKind = 'find_node' | 'custom'

/** A lookup in progress: the query stream of each implementation. */
export interface Lookup {
  onReply (fn: (reply: LookupReply) => void): void
  /** Resolves when the lookup (and its commits) ended; rejects when it failed. */
  finished (): Promise<void>
  destroy (): void
  /** The routing ids of its closest replies, nearest first (after it finished). */
  closestIds (): Uint8Array[]
}

export interface LookupOptions { commit?: boolean }

/** What the query streams of ours and rc.6 share: enough to make a {@link Lookup}. */
export interface QueryStream {
  on (event: 'data', fn: (reply: LookupReply) => void): unknown
  finished (): Promise<void>
  destroy (): void
  readonly closestReplies: ReadonlyArray<{ id: Uint8Array | null }>
}

export function lookupOf (q: QueryStream): Lookup {
  return {
    onReply: (fn) => { q.on('data', (reply) => fn(reply)) },
    finished: () => q.finished(),
    destroy: () => { q.destroy() },
    closestIds: () => q.closestReplies.map((r) => r.id).filter((id): id is Uint8Array => id !== null)
  }
}

/** A persistent node of a network. */
export interface BenchNode {
  readonly peer: Peer
  readonly id: Uint8Array
  /** False once destroyed. */
  alive: boolean
  /** `find_node` to `target`, or the custom command (answered by every node) with a small value. */
  lookup (target: Uint8Array, kind: LookupKind, opts?: LookupOptions): Lookup
  /** One custom-command request to `to`. */
  request (to: Peer): Promise<unknown>
  ping (to: Peer): Promise<unknown>
  /** Request datagrams this node has sent so far (first sends and re-sends). */
  requestsSent (): number
  /** Requests sent or queued and not yet settled. */
  inflight (): number
  destroy (): Promise<void>
}

/** A bootstrap node and the persistent nodes joined through it, all in this process. */
export interface Network {
  readonly impl: ImplKey
  /** The joined persistent nodes, in join order (the bootstrap node is not one of them). */
  readonly nodes: BenchNode[]
  /** Joins one more persistent node through the bootstrap node; resolves once it is bootstrapped. */
  join (): Promise<BenchNode>
  /** The routing ids of every live node that may be in routing tables (v6's bootstrap node is). */
  routingIds (): Uint8Array[]
  /** Datagrams sent by every socket of this process so far. */
  packetsSent (): number
  /** Custom-command requests received with a valid round-trip token (commits), network-wide. */
  commitsReceived (): number
  destroy (): Promise<void>
}

export interface Implementation {
  readonly key: ImplKey
  /** Starts the bootstrap node of a new network that `size` nodes will join. */
  start (size: number): Promise<Network>
}

/** The custom command: a string in v5, a number in v6. */
export const CUSTOM_COMMAND = 'bench'
export const CUSTOM_COMMAND_V6 = 42
/** What the custom command sends and every node answers. */
export const CUSTOM_VALUE = new Uint8Array(32).fill(7)
export const CUSTOM_REPLY = new Uint8Array(8).fill(1)

/** Counts request datagrams in what a node sends (v5 wire: byte 1 is the flags, bit 0 = request). */
export function isV5Request (buf: Uint8Array): boolean {
  return buf.byteLength > 1 && (buf[1]! & 1) === 1
}

// The options of a query and the checks that reject bad input at construction.

import { isAbortSignal } from '@dht/io'
import type { IncomingReply } from '@dht/io'
import { QueryError } from './errors.js'
import type { QueryNode } from './host.js'
import type { Query } from './query.js'

/** Bytes in a target. */
export const TARGET_BYTES = 32

/** A node to start from: `{ host, port }`, with its `id` when known. */
export interface QuerySeed {
  /** Its 32-byte routing id, when known. */
  id?: Uint8Array | null | undefined
  /** Its IPv4 address. */
  host: string
  /** Its UDP port. */
  port: number
}

/**
 * Called once for each of the closest replies when the traversal is done. `dht` is the
 * query's owner (the node). The commit succeeds unless it throws or returns a promise
 * that rejects.
 */
export type CommitFunction<D = unknown, T = IncomingReply> =
  (reply: IncomingReply, dht: D, query: Query<D, T>) => unknown

/** The options of a {@link Query}, all optional. */
export interface QueryOptions<D = unknown, T = IncomingReply> {
  /**
   * Commit to the closest replies once the traversal is done: `true` re-sends the command
   * with each reply's round-trip token; a function is called for each reply instead.
   * The query fails unless at least one commit succeeds.
   * @default false
   */
  commit?: boolean | CommitFunction<D, T> | undefined
  /**
   * Start from these nodes instead of the routing table (for example the `closestNodes` of an
   * earlier query). If fewer than k/4 nodes answer, the lookup continues from the table.
   * @default the k closest nodes of the routing table
   */
  nodes?: readonly QuerySeed[] | undefined
  /** Another name for `nodes` (used when `nodes` is not given). */
  closestNodes?: readonly QuerySeed[] | undefined
  /**
   * Turns each reply with status 0 into the stream's data; null or undefined pushes nothing.
   * @default the reply itself
   */
  map?: ((reply: IncomingReply) => T | null | undefined) | undefined
  /**
   * Requests waiting for an answer at once (stalled ones, re-sent at least once, do not count).
   * A function is asked every time the lookup decides whether to send another: a node shares
   * its politeness window between the lookups it runs this way (see WidthShare), and runs
   * its own background lookups narrow while other requests wait on the network.
   * @default 20
   */
  concurrency?: number | (() => number) | undefined
  /**
   * Called with every answer the lookup takes, whatever its status, as it arrives, whether or
   * not anyone reads the stream: for work of the node's own, such as ending a lookup early
   * once it has learned what it needed.
   */
  onreply?: ((reply: IncomingReply) => void) | undefined
  /**
   * Aborting it destroys the query with `signal.reason`, as `destroy(signal.reason)` does: its
   * requests and commits in flight are cancelled, and `finished()` rejects with the reason. A
   * signal that has already aborted destroys the query before it sends anything.
   */
  signal?: AbortSignal | undefined
}

export function assertTarget (target: unknown): asserts target is Uint8Array {
  if (!(target instanceof Uint8Array) || target.byteLength !== TARGET_BYTES) {
    throw QueryError.INVALID_ARGUMENT('target', `a ${TARGET_BYTES}-byte Uint8Array`, target)
  }
}

export function assertCommand (command: unknown): asserts command is string {
  if (typeof command !== 'string' || command.length === 0) {
    throw QueryError.INVALID_ARGUMENT('command', 'a non-empty string', command)
  }
}

export function assertValue (value: unknown): asserts value is Uint8Array | null {
  if (value !== null && !(value instanceof Uint8Array)) {
    throw QueryError.INVALID_ARGUMENT('value', 'a Uint8Array or null', value)
  }
}

export function assertConcurrency (n: unknown, field = 'concurrency'): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw QueryError.INVALID_ARGUMENT(field, 'a positive integer', n)
  }
}

/** Checks every option; throws an `INVALID_ARGUMENT` QueryError naming the first bad one. */
export function assertOptions (opts: unknown): void {
  if (opts === undefined) return
  if (opts === null || typeof opts !== 'object') throw QueryError.INVALID_ARGUMENT('opts', 'an object', opts)
  const o = opts as Record<string, unknown>
  const commit = o['commit']
  if (commit !== undefined && typeof commit !== 'boolean' && typeof commit !== 'function') {
    throw QueryError.INVALID_ARGUMENT('opts.commit', 'a boolean or a function', commit)
  }
  const map = o['map']
  if (map !== undefined && typeof map !== 'function') throw QueryError.INVALID_ARGUMENT('opts.map', 'a function', map)
  const concurrency = o['concurrency']
  if (concurrency !== undefined && typeof concurrency !== 'function') assertConcurrency(concurrency, 'opts.concurrency')
  const onreply = o['onreply']
  if (onreply !== undefined && typeof onreply !== 'function') throw QueryError.INVALID_ARGUMENT('opts.onreply', 'a function', onreply)
  if (o['nodes'] !== undefined) assertSeeds(o['nodes'], 'opts.nodes')
  if (o['closestNodes'] !== undefined) assertSeeds(o['closestNodes'], 'opts.closestNodes')
  if (o['signal'] !== undefined && !isAbortSignal(o['signal'])) throw QueryError.INVALID_ARGUMENT('opts.signal', 'an AbortSignal', o['signal'])
}

/** The seeds of the options as query nodes (id null when unknown), or null when none were given. */
export function seedsOf (opts: Pick<QueryOptions, 'nodes' | 'closestNodes'> | undefined): QueryNode[] | null {
  const seeds = opts?.nodes ?? opts?.closestNodes
  if (seeds === undefined) return null
  return seeds.map((s) => ({ id: s.id ?? null, host: s.host, port: s.port }))
}

function assertSeeds (nodes: unknown, field: string): void {
  if (!Array.isArray(nodes)) throw QueryError.INVALID_ARGUMENT(field, 'an array of { host, port }', nodes)
  nodes.forEach((node: unknown, i) => {
    const where = `${field}[${i}]`
    if (node === null || typeof node !== 'object') throw QueryError.INVALID_ARGUMENT(where, 'a { host, port } object', node)
    const n = node as Record<string, unknown>
    if (typeof n['host'] !== 'string' || n['host'].length === 0) {
      throw QueryError.INVALID_ARGUMENT(`${where}.host`, 'a non-empty string', n['host'])
    }
    const port = n['port']
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 0xffff) {
      throw QueryError.INVALID_ARGUMENT(`${where}.port`, 'an integer from 1 to 65535', port)
    }
    const id = n['id']
    if (id !== undefined && id !== null && !(id instanceof Uint8Array && id.byteLength === TARGET_BYTES)) {
      throw QueryError.INVALID_ARGUMENT(`${where}.id`, `a ${TARGET_BYTES}-byte Uint8Array or null`, id)
    }
  })
}

/**
 * @packageDocumentation
 * @dht/query: the iterative lookup of a dht-rpc v5 node as a readable stream. It asks the
 * nodes nearest a target (at most `concurrency` at once), queues the nearer nodes their
 * replies name, keeps the k = 20 closest replies, streams every reply with status 0, and can
 * commit to the closest nodes at the end. Nodes that do not answer are not waited for once
 * their request has been re-sent. The node is seen through a small {@link QueryHost}, so a
 * query runs as well over a fake network as over @dht/io.
 *
 * @example
 * ```ts
 * import { Query } from '@dht/query'
 *
 * const host: QueryHost = {
 *   get id () { return table.id },
 *   get requestId () { return node.ephemeral ? null : table.id },
 *   closest: (target, n) => table.closest(target, n),
 *   bootstrapNodes: () => node.resolveBootstrapNodes(),
 *   send: (m, opts, handlers) => io.send(m, opts, handlers)
 * }
 * const q = new Query(host, target, 'find_node', null, { map: (r) => r.from }, node)
 * for await (const from of q) console.log('answered:', from)
 * console.log(q.closestNodes) // up to 20 { id, host, port }, nearest first
 * ```
 */
export { Query } from './query.js'
export type { ClosestNode, QueryEvents } from './query-types.js'
export type { QueryHost, QueryNode, QueryRequest } from './host.js'
export type { CommitFunction, QueryOptions, QuerySeed } from './options.js'
export { QueryError, isQueryError } from './errors.js'
export type { QueryErrorCode } from './errors.js'
export { settleAtLeast } from './settle.js'
export { FRESH_TOKEN_MS } from './commit.js'
export { WidthShare } from './width-share.js'
export type { WidthShareOptions } from './width-share.js'
export { Lookup, GRACE_ANSWERS } from './lookup.js'
export type { LookupOptions, Next, Visit } from './lookup.js'

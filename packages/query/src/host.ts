// The narrow view of a dht-rpc node that a query needs: its ids, its routing table's closest
// nodes, its bootstrap nodes and a way to send one request. The node implements it; tests
// implement it over a fake network.

import type { Clock, IOError, RequestHandlers, RequestMessage, RequestOptions } from '@dht/io'

/** A node to ask: its id when known (null for an id-less seed such as a bootstrap host). */
export interface QueryNode {
  /** Its 32-byte routing id, or null when not known. */
  id: Uint8Array | null
  /** Its IPv4 address. */
  host: string
  /** Its UDP port. */
  port: number
}

/** A request in flight that the query can stop (a PendingRequest of @dht/io is one). */
export interface QueryRequest {
  /**
   * Stops the request. A query passes one shared `REQUEST_CANCELLED` error, meant only for the
   * query's own handlers of the request, which ignore it.
   */
  cancel (err?: IOError): void
}

/**
 * The node as a query sees it: its ids, its routing table's closest nodes, its bootstrap
 * nodes and a way to send one request. `@dht/rpc`'s node is one; tests make their own.
 */
export interface QueryHost {
  /** The node's current table id: closerNodes with this id are never queued. */
  readonly id: Uint8Array
  /** The `id` to put in the requests the query sends: null while the node is ephemeral. */
  readonly requestId: Uint8Array | null
  /** Up to n nodes of the routing table closest to target, nearest first. */
  closest (target: Uint8Array, n: number): readonly QueryNode[]
  /** The bootstrap nodes, resolved to IPv4 with their ids (empty if none). */
  bootstrapNodes (): Promise<readonly QueryNode[]>
  /**
   * Sends one request of the lookup (`io.send` of @dht/io satisfies this shape). Reply ids
   * are trusted as given: the node should null an id that is not the id of `from` first.
   */
  send (m: RequestMessage, opts: RequestOptions | undefined, handlers: RequestHandlers): QueryRequest
  /**
   * The routing id of the node at `host:port`, for the closer nodes of replies: a node that
   * keeps ids of the addresses it hears of answers from there. @default id() of @dht/wire
   */
  nodeId? (host: string, port: number): Uint8Array
  /**
   * The node's smoothed round trip to `peer` in ms, or null when it has none (`io.roundTrip` of
   * @dht/io). A lookup that holds k replies gives a request to a peer it knows nothing of at
   * least INITIAL_RTO of @dht/io from its first send before it gives the request up: a peer not
   * heard from may be far. @default every peer is known
   */
  roundTrip? (peer: { host: string, port: number }): number | null
  /**
   * Runs `fn` soon, after the datagrams that have already arrived are read: the node's
   * clock's `setTimeout(fn, 0)`. @default setImmediate
   */
  defer? (fn: () => void): void
  /**
   * The node's clock: a lookup times its round trips with it, and waits on it for a re-sent
   * request to a node that would rank among the k closest. @default systemClock of @dht/io
   */
  readonly clock?: Clock
}

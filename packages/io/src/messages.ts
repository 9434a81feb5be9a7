// The messages an IO hands up (received, with their sender) and takes to send (without the
// tid, which it assigns).

import type { DecodedReply, DecodedRequest, Peer, Reply, Request } from '@dht/wire'

/**
 * The bytes of a received message are Buffers: Node's datagrams are, and a datagram from a
 * socket that gives plain Uint8Arrays is wrapped (without a copy) before it is decoded.
 */
export type WithBuffers<M, K extends keyof M> = Omit<M, K> & { [F in K]: Buffer | Extract<M[F], null> }

/** A request received from `from`. */
export type IncomingRequest = WithBuffers<DecodedRequest, 'id' | 'token' | 'target' | 'value'> & {
  /** The address the datagram came from: where the reply goes. */
  from: Peer
}
/** A reply received from `from`. Its `id` is null when `from` is not where the request went. */
export type IncomingReply = WithBuffers<DecodedReply, 'id' | 'token' | 'value'> & {
  /** The address the datagram came from. */
  from: Peer
}

/** What to send; the tid is assigned when it is sent. */
export type RequestMessage = Omit<Request, 'tid'>

/** What to reply; the tid and `to` come from the request. */
export type ReplyMessage = Omit<Reply, 'tid' | 'to'>

// What a node does with each message it receives: it learns from the sender (a table entry,
// a sample of its own address), answers the built-in commands itself, and hands every other
// request to the user's 'request' listeners.

import type { IncomingReply, IncomingRequest, Tokens, UdpSocket } from '@dht/io'
import { equalIds } from '@dht/wire'
import { MAX_PING_BYTES, UNKNOWN_COMMAND } from './constants.js'
import type { SelfAddress } from './self-address.js'
import type { NodeInit } from './upkeep.js'
import type { NodeState } from './node-state.js'

/** Answered by the node itself, at once and the same way every time. */
export const BUILT_IN_COMMANDS: ReadonlySet<string> = new Set(['ping', 'ping_nat', 'find_node'])

/** What the inbox needs from its node. */
export interface InboxHost {
  /** The node's table and flags, read as they are now. */
  readonly state: NodeState
  readonly tokens: Tokens
  readonly selfAddress: SelfAddress
  /** The current tick, for the table's seen stamps. */
  tick (): number
  /** The id of the node at `host:port`, as the node computes ids. */
  nodeId (host: string, port: number): Uint8Array
  insertNode (node: NodeInit): void
  /** An ephemeral node asked us (likely sent by a bootstrap node). */
  askedByEphemeral (): void
  /** Opens the second socket that ping_nat is answered from. */
  openSocket (): UdpSocket
  sendReply (req: IncomingRequest, status: number, value: Uint8Array | null, target: Uint8Array | null, token: boolean, socket?: UdpSocket): void
  /** Hands a request to the user's listeners; false when there is none. */
  emitRequest (req: IncomingRequest): boolean
}

/** Takes in a node's requests and replies. */
export class Inbox {
  readonly #host: InboxHost
  #natSocket: UdpSocket | null = null

  constructor (host: InboxHost) {
    this.#host = host
  }

  /** A request came in. */
  onrequest (req: IncomingRequest): void {
    const host = this.#host
    if (req.token !== null && !host.tokens.verify(req.token, req.from.host, req.from.port)) req.token = null
    if (req.id !== null) this.#learn(req)
    else host.askedByEphemeral()

    switch (req.command) {
      case 'ping':
        // a larger value gets no reply: no amplification
        if (req.value === null || req.value.byteLength <= MAX_PING_BYTES) host.sendReply(req, 0, req.value, null, false)
        return
      case 'ping_nat':
        // from another socket: the reply comes through only if the asker's NAT lets strangers in
        this.#natSocket ??= host.openSocket()
        host.sendReply(req, 0, null, null, false, this.#natSocket)
        return
      case 'find_node':
        host.sendReply(req, 0, null, req.target, false)
        return
    }
    if (!host.emitRequest(req)) host.sendReply(req, UNKNOWN_COMMAND, null, req.target, false)
  }

  /** A reply to one of our requests came in. */
  onreply (reply: IncomingReply): void {
    if (reply.id !== null) this.#learn(reply)
    else this.#host.selfAddress.addAnonymous(reply.to, reply.from)
  }

  // A message with an id: the sender is a persistent node, for the table (if its id is the
  // hash of its address) and a sample of our address.
  #learn (m: IncomingRequest | IncomingReply): void {
    const host = this.#host
    // an entry's id was checked against its address when it entered the table, so a message
    // from that address with that id needs no hashing: most messages come from known nodes
    const known = host.state.table.get(m.id!)
    if (known !== null && known.port === m.from.port && known.host === m.from.host) {
      // a known node re-samples only when it sees us at a new host, as dht-rpc does: with the
      // same samples, the same NAT decisions as the rest of the network
      if (known.to === null || known.to.host !== m.to.host) {
        known.to = host.selfAddress.seenAs(m.to)
        host.selfAddress.add(m.to, m.from)
      }
      host.state.table.seen(known, host.tick())
      return
    }
    const id = host.nodeId(m.from.host, m.from.port)
    // an id that is not the hash of the sender's address is never trusted (nor routed to)
    if (known !== null || !equalIds(m.id!, id)) {
      m.id = null
      return
    }
    host.selfAddress.add(m.to, m.from)
    host.insertNode({ id, host: m.from.host, port: m.from.port, to: host.selfAddress.seenAs(m.to) })
  }
}

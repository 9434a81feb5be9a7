/** Where a datagram came from, as node:dgram reports it. */
export interface RemoteInfo {
  /** The sender's IPv4 address. */
  address: string
  /** The sender's port. */
  port: number
}

/** The address a socket is bound to. */
export interface BoundAddress {
  /** The local address: `'0.0.0.0'` when bound to every interface. */
  address: string
  /** The local port (the one picked when bound to port 0). */
  port: number
}

/**
 * The part of a UDP socket that a node uses. A `node:dgram` `udp4` socket satisfies it (the
 * API's `socket` option takes one), and so does the in-memory network of simulations.
 */
export interface UdpSocket {
  /** Binds to `port` (0: any free one) on `address` (default: every interface); 'listening' or 'error' follows. */
  bind (port: number, address?: string): unknown
  /** Sends one datagram; `callback` gets the error, if any, once it is sent. */
  send (message: Uint8Array, port: number, address: string, callback?: (err: Error | null) => void): void
  /** Throws when the socket is not bound. */
  address (): BoundAddress
  /** Closes the socket; `callback` is called once it is closed ('close'). */
  close (callback?: () => void): unknown
  /** Listens for datagrams, each with where it came from. */
  on (event: 'message', listener: (message: Uint8Array, rinfo: RemoteInfo) => void): unknown
  /** Listens for the socket being bound, or closed. */
  on (event: 'listening' | 'close', listener: () => void): unknown
  /** Listens for errors (a failed bind among them). */
  on (event: 'error', listener: (err: Error) => void): unknown
  /** Stops listening for datagrams. */
  removeListener (event: 'message', listener: (message: Uint8Array, rinfo: RemoteInfo) => void): unknown
  /** Stops listening for 'listening' or 'close'. */
  removeListener (event: 'listening' | 'close', listener: () => void): unknown
  /** Stops listening for errors. */
  removeListener (event: 'error', listener: (err: Error) => void): unknown
}

/** Makes a new unbound socket: a node needs a second one to answer `ping_nat`. */
export type SocketFactory = () => UdpSocket

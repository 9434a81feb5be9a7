/** Where a datagram came from, as node:dgram reports it. */
export interface RemoteInfo {
  address: string
  port: number
}

/** The address a socket is bound to. */
export interface BoundAddress {
  address: string
  port: number
}

/**
 * The part of a UDP socket that a node uses. A `node:dgram` `udp4` socket satisfies it (the
 * API's `socket` option takes one), and so does the in-memory network of simulations.
 */
export interface UdpSocket {
  bind (port: number, address?: string): unknown
  send (message: Uint8Array, port: number, address: string, callback?: (err: Error | null) => void): void
  /** Throws when the socket is not bound. */
  address (): BoundAddress
  close (callback?: () => void): unknown
  on (event: 'message', listener: (message: Uint8Array, rinfo: RemoteInfo) => void): unknown
  on (event: 'listening' | 'close', listener: () => void): unknown
  on (event: 'error', listener: (err: Error) => void): unknown
  removeListener (event: 'message', listener: (message: Uint8Array, rinfo: RemoteInfo) => void): unknown
  removeListener (event: 'listening' | 'close', listener: () => void): unknown
  removeListener (event: 'error', listener: (err: Error) => void): unknown
}

/** Makes a new unbound socket: a node needs a second one to answer `ping_nat`. */
export type SocketFactory = () => UdpSocket

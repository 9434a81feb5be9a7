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

/** The port `socket` is bound to, or null while it is not bound. */
export function boundPort (socket: UdpSocket): number | null {
  try {
    return socket.address().port
  } catch {
    return null
  }
}

/** Closes `socket`; resolves once closed, or at once if it was not bound or already closed. */
export function closeSocket (socket: UdpSocket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve())
    } catch {
      resolve() // not bound or already closed
    }
  })
}

/**
 * Binds `socket` to `port` on `host` and resolves with the bound port: at once when it is
 * bound already, and on a random port when `port` is taken (a node must not fail to start
 * because of a port; the caller reads which it got). Rejects with the socket's error, or
 * when `stopped()` says the owner was destroyed before the bind.
 */
export function bindSocket (socket: UdpSocket, port: number, host: string, stopped: () => boolean, destroyedError: () => Error): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const alreadyBound = boundPort(socket)
    if (alreadyBound !== null) {
      resolve(alreadyBound)
      return
    }
    const cleanup = (): void => {
      socket.removeListener('listening', onlistening)
      socket.removeListener('error', onerror)
    }
    const onlistening = (): void => {
      cleanup()
      resolve(socket.address().port)
    }
    const onerror = (err: Error): void => {
      if (port !== 0 && !stopped()) {
        port = 0
        socket.bind(0, host)
        return
      }
      cleanup()
      reject(err)
    }
    socket.on('listening', onlistening)
    socket.on('error', onerror)
    if (stopped()) {
      cleanup()
      reject(destroyedError())
      return
    }
    try {
      socket.bind(port, host)
    } catch (err) {
      cleanup()
      reject(err as Error)
    }
  })
}

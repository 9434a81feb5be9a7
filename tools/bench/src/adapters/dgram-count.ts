import dgram from 'node:dgram'

let installed = false
let sent = 0

/**
 * Counts every datagram sent by any node:dgram socket of this process (dht-rpc rc.6 and
 * @dht/rpc both send through node:dgram). Installed once per process.
 */
export function dgramPacketsSent (): number {
  if (!installed) {
    installed = true
    const proto = dgram.Socket.prototype as unknown as { send: (...args: unknown[]) => unknown }
    const send = proto.send
    proto.send = function (this: unknown, ...args: unknown[]) {
      sent++
      return send.apply(this, args)
    }
  }
  return sent
}

/** Wraps one socket's send to count its request datagrams (v5 wire). */
export function countRequests (socket: { send: (...args: never[]) => unknown }, isRequest: (buf: Uint8Array) => boolean): () => number {
  let n = 0
  const s = socket as unknown as { send: (...args: unknown[]) => unknown }
  const send = s.send
  s.send = function (this: unknown, ...args: unknown[]) {
    if (isRequest(args[0] as Uint8Array)) n++
    return send.apply(this, args)
  }
  return () => n
}

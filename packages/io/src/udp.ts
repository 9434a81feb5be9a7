import dgram from 'node:dgram'
import { lookup as dnsLookup } from 'node:dns'
import type { LookupOneOptions } from 'node:dns'
import { isIPv4 } from '@dht/wire'
import type { UdpSocket } from './socket.js'

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void

/**
 * A real `udp4` socket. This is the only module of `@dht` that imports node:dgram.
 *
 * node:dgram resolves the address of every datagram it sends with dns.lookup, which checks an
 * IP address with a regular expression and calls back on the next tick: a closure and a tick
 * for every send. A node sends almost only to dotted-quad IPv4 addresses, so once the socket
 * listens those go straight through (dgram allows a synchronous lookup; a connected socket
 * sends that way). Before that the lookup is bind()'s, whose events callers expect after
 * bind() returns, so it stays dns.lookup, as does any name.
 */
export function createUdpSocket (): UdpSocket {
  let listening = false
  const lookup = (hostname: string, options: number | LookupOneOptions, callback: LookupCallback): void => {
    if (listening && isIPv4(hostname)) callback(null, hostname, 4)
    else dnsLookup(hostname, options as LookupOneOptions, callback)
  }
  const socket = dgram.createSocket({ type: 'udp4', lookup: lookup as dgram.SocketOptions['lookup'] })
  socket.once('listening', () => { listening = true })
  return socket
}

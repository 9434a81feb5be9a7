import dgram from 'node:dgram'
import type { UdpSocket } from './socket.js'

/** A real `udp4` socket. This is the only module of @dht that imports node:dgram. */
export function createUdpSocket (): UdpSocket {
  return dgram.createSocket('udp4')
}

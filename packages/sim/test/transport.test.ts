// The transport suite against both socket implementations: node:dgram (@dht/io's
// createUdpSocket) and a simulated host. It lives here because @dht/sim already depends on
// @dht/io, so both are within reach with no new edge; in @dht/io's tests, the simulated half
// would be one more reason for io to reach back up to the package built on it.

import { createUdpSocket } from '@dht/io'
import { SimNetwork } from '@dht/sim'
import { transportSuite } from './transport.js'

transportSuite('node:dgram on loopback', () => ({
  socket: createUdpSocket,
  host: '127.0.0.1',
  settle: (promise) => withTimeout(promise, 2000)
}))

transportSuite('simulated host', () => {
  const net = new SimNetwork()
  const host = net.addHost()
  return {
    socket: host.createSocket,
    host: host.address,
    settle: (promise) => net.clock.runUntil(promise, 10_000)
  }
})

function withTimeout<T> (promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`not settled in ${ms} ms`)), ms) })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

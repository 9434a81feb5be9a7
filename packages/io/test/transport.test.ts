import { createUdpSocket } from '@dht/io'
import { SimNetwork } from '@dht/io/sim'
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

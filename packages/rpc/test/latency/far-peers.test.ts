// Far peers on real sockets: a third of a 60-node network sends every datagram 300 ms late
// (a node:dgram socket wrapped and passed as the `socket` option), as peers on another
// continent would. Lookups from near and far nodes still find the true 20 closest.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import type { UdpSocket } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import type { Testnet } from '@dht/rpc/testnet'
import type DHT from '@dht/rpc'
import { compareDistance } from '@dht/table'
import { sha256 } from '../helpers.js'

const NEAR = 40
const FAR = 20
const DELAY = 300
const LOOKUPS = 10

/** A real UDP socket that sends each datagram `ms` late (what it receives comes at once). */
export function delayedSocket (ms: number): UdpSocket {
  const socket = dgram.createSocket('udp4')
  const send = socket.send.bind(socket) as UdpSocket['send']
  const close = socket.close.bind(socket)
  const timers = new Set<NodeJS.Timeout>()
  const delayed: UdpSocket['send'] = (message, port, address, callback) => {
    const copy = Buffer.from(message)
    const timer = setTimeout(() => {
      timers.delete(timer)
      send(copy, port, address, callback)
    }, ms)
    timers.add(timer)
  }
  return Object.assign(socket, {
    send: delayed,
    close: (callback?: () => void) => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      return close(callback)
    }
  }) as UdpSocket
}

describe(`${NEAR + FAR} nodes on loopback, ${FAR} of them sending ${DELAY} ms late`, () => {
  let testnet: Testnet
  const far = new Set<DHT>()

  before(async () => {
    testnet = await createTestnet(NEAR)
    const joining: Array<Promise<DHT>> = []
    for (let i = 0; i < FAR; i++) joining.push(testnet.createNode({ socket: delayedSocket(DELAY) }))
    for (const node of await Promise.all(joining)) far.add(node)
  })

  after(async () => {
    await testnet.destroy()
  })

  const recallFrom = async (asker: DHT, seed: string): Promise<number> => {
    const target = sha256(Buffer.from(seed))
    const query = asker.query(target, 'find_node', null)
    await query.finished()
    const truth = new Set(testnet.nodes.slice(1).filter((n) => n !== asker).map((n) => n.id!)
      .sort((a, b) => compareDistance(target, a, b)).slice(0, 20).map((id) => Buffer.from(id).toString('hex')))
    return query.closestReplies.filter((r) => truth.has(Buffer.from(r.id!).toString('hex'))).length / 20
  }

  test('lookups from near nodes find the true 20 closest', async (t) => {
    const near = testnet.nodes.slice(1).filter((n) => !far.has(n))
    const recalls = await Promise.all(Array.from({ length: LOOKUPS }, (_, i) => recallFrom(near[i * 3]!, 'near ' + i)))
    const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length
    t.diagnostic(`mean recall ${mean.toFixed(3)} (min ${Math.min(...recalls).toFixed(2)})`)
    assert.ok(mean >= 0.95, `mean recall ${mean.toFixed(3)}: ${recalls.join(' ')}`)
  })

  test('lookups from far nodes find the true 20 closest', async (t) => {
    const askers = [...far]
    const recalls = await Promise.all(Array.from({ length: LOOKUPS }, (_, i) => recallFrom(askers[i]!, 'far ' + i)))
    const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length
    t.diagnostic(`mean recall ${mean.toFixed(3)} (min ${Math.min(...recalls).toFixed(2)})`)
    assert.ok(mean >= 0.95, `mean recall ${mean.toFixed(3)}: ${recalls.join(' ')}`)
  })
})

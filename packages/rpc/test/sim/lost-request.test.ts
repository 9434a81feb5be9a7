// A lookup whose request to the node it is looking for is lost still finds that node: the
// re-send is answered within the grace the lookup gives re-sent requests to its closest nodes.

import test from 'node:test'
import assert from 'node:assert/strict'
import type { UdpSocket } from '@dht/io'
import { decode } from '@dht/wire'
import { DHT } from '@dht/rpc'
import type { Peer } from '@dht/rpc'
import { MINUTE, world } from './world.js'

const NETWORK = 30

test('a lookup finds its target when the first request to it is lost', async () => {
  const { net, nodes, peers, bootstrap } = await world(NETWORK)

  // the asker loses the first request it sends to `lose`, and only that one
  let lose: Peer | null = null
  let lost = 0
  let sentTo = 0
  const askerHost = net.addHost()
  const createSocket = (): UdpSocket => {
    const socket = askerHost.createSocket()
    const send = socket.send.bind(socket)
    socket.send = (message, port, address, callback) => {
      if (lose !== null && address === lose.host && port === lose.port && decode(message).type === 'request') {
        sentTo++
        if (lost++ === 0) {
          callback?.(null)
          return
        }
      }
      send(message, port, address, callback)
    }
    return socket
  }
  const asker = new DHT({ createSocket, clock: net.clock, random: net.random, bootstrap, ephemeral: false })
  await net.clock.runUntil(asker.ready(), MINUTE)
  await net.clock.run(10_000) // every node answers the asker's pings: its round-trip estimate settles

  let found = 0
  const tries = 10
  for (const target of peers.slice(1, 1 + tries)) {
    lose = target
    lost = 0
    sentTo = 0
    const q = asker.query(DHT.id(lose), 'find_node')
    await net.clock.runUntil(q.finished(), MINUTE)
    assert.ok(lost >= 1, 'the first request to the target was lost')
    if (q.closestNodes[0] !== undefined && q.closestNodes[0].port === lose.port && q.closestNodes[0].host === lose.host) found++
    assert.ok(sentTo <= 2, `the lookup gave up on the target after one re-send (${sentTo} sends)`)
  }
  lose = null
  assert.equal(found, tries, `lookups that found their target: ${found} of ${tries}`)

  await Promise.all([...nodes, asker].map((n) => n.destroy()))
})

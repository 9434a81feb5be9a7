// The intern a node is given (or makes for itself) is the one place its ids and decoded peers
// are remembered: nodes given the same one share them, nodes with their own share nothing,
// and a routing table keeps ids that hold no other memory.

import test from 'node:test'
import assert from 'node:assert/strict'
import { SimNetwork } from '@dht/sim'
import DHT, { Intern } from '@dht/rpc'
import type { DHTOptions, NodeEntry } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { MINUTE } from './sim/world.js'

/** A bootstrap node and nodes that join one after another, each with the options given. */
async function network (options: Array<Pick<DHTOptions, 'intern'>>): Promise<{ net: SimNetwork, nodes: DHT[] }> {
  const net = new SimNetwork({ latency: { min: 5, max: 60 } })
  const first = net.addHost()
  const boot = new DHT({ createSocket: first.createSocket, clock: net.clock, random: net.random, bootstrap: false, ephemeral: true, bind: 10001 })
  await net.clock.runUntil(boot.ready(), MINUTE)
  const bootstrap = [{ host: first.address, port: 10001 }]
  const nodes = [boot]
  for (const opts of options) {
    const host = net.addHost()
    const node = new DHT({ ...opts, createSocket: host.createSocket, clock: net.clock, random: net.random, bootstrap, ephemeral: false })
    await net.clock.runUntil(node.ready(), MINUTE)
    nodes.push(node)
  }
  return { net, nodes }
}

function entriesInBoth (x: DHT, y: DHT): Array<[NodeEntry, NodeEntry]> {
  const inY = new Map(y.table.toArray().map((e) => [`${e.host}:${e.port}`, e]))
  return x.table.toArray().flatMap((e) => {
    const other = inY.get(`${e.host}:${e.port}`)
    return other === undefined ? [] : [[e, other] as [NodeEntry, NodeEntry]]
  })
}

test('nodes given one intern share the ids in their tables; a node with its own shares none', async () => {
  const shared = new Intern({ nodes: 12 })
  const { nodes } = await network([...Array.from({ length: 10 }, () => ({ intern: shared })), {}, {}])
  try {
    const [x, y] = nodes.slice(-4, -2) as [DHT, DHT]
    const common = entriesInBoth(x, y)
    assert.ok(common.length > 0)
    for (const [a, b] of common) assert.equal(a.id, b.id, `one id object for ${a.host}:${a.port}`)
    const [own1, own2] = nodes.slice(-2) as [DHT, DHT]
    for (const other of [x, own2]) {
      const pairs = entriesInBoth(own1, other)
      assert.ok(pairs.length > 0)
      for (const [a, b] of pairs) {
        assert.notEqual(a.id, b.id, 'each intern makes its own')
        assert.deepEqual(a.id, b.id)
      }
    }
  } finally {
    await Promise.all(nodes.map((n) => n.destroy()))
  }
})

test('table ids are Buffers of their own, and entries are plain objects', async () => {
  const { nodes } = await network([{}, {}, {}, {}])
  try {
    const node = nodes.at(-1)!
    node.addNode({ host: '10.1.2.3', port: 4000 })
    for (const id of [node.table.id, ...node.table.toArray().map((e) => e.id)]) {
      assert.ok(Buffer.isBuffer(id))
      assert.equal(id.byteOffset, 0)
      assert.equal(id.buffer.byteLength, 32, 'no view into a datagram or a pool')
    }
    for (const entry of node.table.toArray()) {
      assert.equal(Reflect.ownKeys(entry).filter((k) => typeof k === 'symbol').length, 0)
      assert.deepEqual(DHT.id(entry), entry.id)
    }
  } finally {
    await Promise.all(nodes.map((n) => n.destroy()))
  }
})

test('an intern that is not one is refused before anything is made', () => {
  let sockets = 0
  const net = new SimNetwork()
  const host = net.addHost()
  const createSocket = (): ReturnType<typeof host.createSocket> => {
    sockets++
    return host.createSocket()
  }
  for (const bad of [{}, null, 'intern', { id: () => new Uint8Array(32) }]) {
    assert.throws(() => new DHT({ createSocket, clock: net.clock, random: net.random, bootstrap: false, intern: bad as never }), (err: unknown) => err instanceof TypeError && /intern/.test(err.message))
  }
  assert.equal(sockets, 0)
})

test('the nodes of a testnet share one intern', async () => {
  const testnet = await createTestnet(6)
  try {
    const [x, y] = testnet.nodes.slice(-2) as [DHT, DHT]
    const common = entriesInBoth(x, y)
    assert.ok(common.length > 0)
    for (const [a, b] of common) assert.equal(a.id, b.id, `one id object for ${a.host}:${a.port}`)
  } finally {
    await testnet.destroy()
  }
})

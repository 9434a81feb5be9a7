// Routing ids are the hash of the sender's address: one that is not never enters a routing
// table, whether it comes in a request or in a reply, and is handed on as null.
import test from 'node:test'
import assert from 'node:assert/strict'
import DHT from '@dht/rpc'
import type { DHTRequest, Peer } from '@dht/rpc'
import { LOOPBACK } from '../helpers.js'
import { RawPeer } from '../interop/raw.js'

function portsOf (node: DHT): number[] {
  return node.toArray().map((p) => p.port).sort((a, b) => a - b)
}

async function setup (t: test.TestContext): Promise<{ node: DHT, to: Peer, liar: RawPeer, honest: RawPeer, added: Peer[] }> {
  const node = new DHT({ bootstrap: false, host: LOOPBACK })
  const liar = await RawPeer.create()
  const honest = await RawPeer.create()
  t.after(() => Promise.all([node.destroy(), liar.close(), honest.close()]))
  const added: Peer[] = []
  node.on('add-node', (n) => added.push({ host: n.host, port: n.port }))
  return { node, to: { host: LOOPBACK, port: await node.bind() }, liar, honest, added }
}

test('requests: an id that is not the hash of the sender\'s address never enters the table', async (t) => {
  const { node, to, liar, honest, added } = await setup(t)
  const ids: Array<Uint8Array | null> = []
  node.on('request', (req: DHTRequest) => {
    ids.push(req.id)
    req.reply(null)
  })
  const forged = [
    Buffer.alloc(32, 0xab), // made up
    DHT.id(honest.peer) as Buffer, // another node's
    DHT.id({ host: LOOPBACK, port: liar.peer.port + 1 }) as Buffer, // its host, another port
    DHT.id({ host: '127.0.0.2', port: liar.peer.port }) as Buffer, // its port, another host
    DHT.id(to) as Buffer // ours
  ]
  let tid = 1
  for (const id of forged) {
    for (const command of ['ping', 'find_node', 'custom']) {
      await liar.send({ tid, to, id, command, target: command === 'ping' ? null : Buffer.alloc(32) })
      await liar.next((m) => m.tid === tid)
      tid++
    }
  }
  assert.deepEqual(ids, forged.map(() => null), 'the handler gets id null')
  assert.deepEqual(portsOf(node), [])
  assert.deepEqual(added, [])

  await honest.send({ tid: 100, to, id: DHT.id(honest.peer) as Buffer, command: 'custom' })
  await honest.next((m) => m.tid === 100)
  assert.ok(Buffer.from(ids.at(-1)!).equals(DHT.id(honest.peer)), 'the handler gets the true id')
  assert.deepEqual(portsOf(node), [honest.peer.port])
  assert.deepEqual(added, [honest.peer])
})

test('replies: a forged id, or a true id from another address than the request went to, never enters the table', async (t) => {
  const { node, to, liar, honest, added } = await setup(t)

  // a forged id in the reply of the node we asked
  const pinging = node.ping(liar.peer)
  const { m: asked } = await liar.next()
  await liar.send({ tid: asked.tid, to, id: DHT.id(honest.peer) as Buffer })
  assert.equal((await pinging).id, null)

  // the honest node's true id, in a reply from where the request did not go
  const again = node.ping(liar.peer)
  const { m: second } = await liar.next()
  await honest.send({ tid: second.tid, to, id: DHT.id(honest.peer) as Buffer }, to)
  const spoofed = await again
  assert.deepEqual(spoofed.from, honest.peer)
  assert.equal(spoofed.id, null)

  // a lookup's reply with a forged id
  const query = node.query(Buffer.alloc(32, 9), 'find_node', null, { nodes: [liar.peer] })
  const finished = query.finished()
  const { m: lookup } = await liar.next()
  await liar.send({ tid: lookup.tid, to, id: Buffer.alloc(32, 0xcd), closerNodes: [] })
  await finished
  assert.ok(query.closestReplies.every((r) => r.id === null || Buffer.from(r.id).equals(DHT.id(r.from))))

  assert.deepEqual(portsOf(node), [])
  assert.deepEqual(added, [])

  const honestPing = node.ping(honest.peer)
  const { m: control } = await honest.next()
  await honest.send({ tid: control.tid, to, id: DHT.id(honest.peer) as Buffer })
  assert.ok(Buffer.from((await honestPing).id!).equals(DHT.id(honest.peer)))
  assert.deepEqual(portsOf(node), [honest.peer.port])
})

// The bytes themselves: what our node sends, caught by a bare UDP socket, decodes with
// dht-rpc@5.0.0-rc.6's codec to exactly what was meant (and re-encodes to the same bytes);
// requests encoded by that codec get the replies a v5 node must give.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import DHT, { isIOError } from '@dht/rpc'
import type { DHTReply, Peer } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import type { Testnet } from '@dht/rpc/testnet'
import { until } from '../helpers.js'
import { LOOPBACK, createOurs, peerOf } from './network.js'
import { RawPeer } from './raw.js'
import { RefDHT, referenceEncode } from './reference.js'
import type { RefMessage } from './reference.js'

// The vectors @dht/wire publishes (JSON, so through require rather than import).
interface Vector {
  name: string
  hex: string
  message?: { type: 'request', tid: number, target: string | null, command: string, value: string | null } | { type: 'reply' }
  error?: string
}
const vectors = createRequire(import.meta.url)('@dht/wire/test-vectors/v5.json') as Vector[]

const TARGET = Buffer.alloc(32, 0x5a)
const TOKEN = Buffer.alloc(32, 0x7e)

/** Every field of a reference-decoded message, with the defaults of an empty one. */
function expected (m: Partial<RefMessage> & { tid: number, to: Peer }): RefMessage {
  return { version: 2, from: null, id: null, token: null, target: null, closerNodes: null, command: null, status: 0, value: null, ...m }
}

function peersOf (nodes: ReadonlyArray<{ host: string, port: number }>): Peer[] {
  return nodes.map(({ host, port }) => ({ host, port }))
}

/** The bytes the reference codec makes of a decoded message: equal to the datagram iff it is canonical. */
function reencode (m: RefMessage): Buffer {
  const { version: _version, from: _from, ...rest } = m
  return referenceEncode(rest)
}

describe('on the wire, against dht-rpc@5.0.0-rc.6\'s codec', () => {
  let testnet: Testnet
  let node: DHT // persistent, answers 'echo', 'fail' and 'store'
  let bare: DHT // persistent, no 'request' listener
  let nodePeer: Peer
  let raw: RawPeer
  const stores: Array<{ commit: boolean, value: string | null }> = []

  before(async () => {
    testnet = await createTestnet(4)
    node = testnet.nodes[1]!
    bare = testnet.nodes[2]!
    nodePeer = peerOf(node)
    node.on('request', (req) => {
      if (req.command === 'echo') return req.reply(req.value)
      if (req.command === 'fail') return req.error(42)
      if (req.command === 'store') {
        stores.push({ commit: req.commit, value: req.value === null ? null : Buffer.from(req.value).toString() })
        return req.reply(null)
      }
    })
    raw = await RawPeer.create()
  })

  after(async () => {
    await raw.close()
    await testnet.destroy()
  })

  describe('requests our node sends', () => {
    test('ping: version 2, a tid, `to` the address it went to, our id, no value', async () => {
      const pinging = node.ping(raw.peer)
      const { m, bytes, from } = await raw.next()
      assert.deepEqual(m, expected({ tid: m.tid, to: raw.peer, id: Buffer.from(node.id!), command: 'ping' }))
      assert.deepEqual(reencode(m), bytes, 'canonical bytes')
      assert.deepEqual(from, nodePeer)
      await raw.send({ tid: m.tid, to: nodePeer, status: 0 })
      const pong = await pinging
      assert.equal(pong.status, 0)
      assert.deepEqual(pong.from, raw.peer)
      assert.deepEqual(pong.to, nodePeer)
    })

    test('a request with target, token and a 300-byte value (multi-byte length), and its reply\'s every field', async () => {
      const value = Buffer.alloc(300, 0x11)
      const requesting = node.request(TARGET, 'store', value, raw.peer, { token: TOKEN })
      const { m, bytes } = await raw.next()
      assert.deepEqual(m, expected({ tid: m.tid, to: raw.peer, id: Buffer.from(node.id!), token: TOKEN, target: TARGET, command: 'store', value }))
      assert.deepEqual(reencode(m), bytes)
      assert.deepEqual(bytes.subarray(bytes.length - 303, bytes.length - 300), Buffer.from([0xfd, 0x2c, 0x01]), 'uint 300')

      const closerNodes = [{ host: '10.0.0.1', port: 1 }, { host: '192.168.255.254', port: 65535 }]
      await raw.send({ tid: m.tid, to: nodePeer, id: DHT.id(raw.peer) as Buffer, token: TOKEN, closerNodes, status: 0, value: Buffer.from('ok') })
      const reply: DHTReply = await requesting
      assert.equal(reply.tid, m.tid)
      assert.deepEqual(reply.id, DHT.id(raw.peer))
      assert.deepEqual(reply.token, TOKEN)
      assert.deepEqual(reply.closerNodes, closerNodes)
      assert.deepEqual(reply.value, Buffer.from('ok'))
    })

    test('an empty value goes out as null; a status above 252 comes back whole', async () => {
      const requesting = node.request(null, 'echo', Buffer.alloc(0), raw.peer)
      const { m, bytes } = await raw.next()
      assert.deepEqual(m, expected({ tid: m.tid, to: raw.peer, id: Buffer.from(node.id!), command: 'echo' }))
      assert.deepEqual(reencode(m), bytes)
      assert.equal(bytes[bytes.length - 1], 0, 'a zero length')
      await raw.send({ tid: m.tid, to: nodePeer, status: 70000 })
      await assert.rejects(requesting, (err) => isIOError(err, 'REQUEST_FAILED') && err.status === 70000)
    })

    test('ping_nat, and consecutive tids', async () => {
      const first = node.request(null, 'ping_nat', null, raw.peer)
      const a = await raw.next()
      const second = node.ping(raw.peer)
      const b = await raw.next()
      assert.deepEqual(a.m, expected({ tid: a.m.tid, to: raw.peer, id: Buffer.from(node.id!), command: 'ping_nat' }))
      assert.equal(b.m.tid, (a.m.tid + 1) & 0xffff)
      await raw.send({ tid: a.m.tid, to: nodePeer })
      await raw.send({ tid: b.m.tid, to: nodePeer })
      await Promise.all([first, second])
    })

    test('a lookup sends find_node with the target; a reply without closerNodes ends it', async () => {
      const query = node.query(TARGET, 'find_node', null, { nodes: [raw.peer] })
      const finished = query.finished()
      const { m, bytes } = await raw.next()
      assert.deepEqual(m, expected({ tid: m.tid, to: raw.peer, id: Buffer.from(node.id!), target: TARGET, command: 'find_node' }))
      assert.deepEqual(reencode(m), bytes)
      await raw.send({ tid: m.tid, to: nodePeer, id: DHT.id(raw.peer) as Buffer, closerNodes: [] })
      // seeds that mostly fail send the lookup on to the routing table; it still ends
      await finished
      assert.ok(query.closestReplies.some((r) => r.from.port === raw.peer.port))
    })

    test('an ephemeral node sends no id', async (t) => {
      const client = createOurs({ bootstrap: false })
      t.after(() => client.destroy())
      const pinging = client.ping(raw.peer)
      const { m, bytes, from } = await raw.next()
      assert.deepEqual(m, expected({ tid: m.tid, to: raw.peer, command: 'ping' }))
      assert.deepEqual(reencode(m), bytes)
      await raw.send({ tid: m.tid, to: { host: LOOPBACK, port: from.port } })
      await pinging
    })
  })

  describe('replies our node gives to reference-encoded requests', () => {
    test('ping: the tid back, `to` the sender, our id, no token, the value echoed', async () => {
      await raw.send({ tid: 0x1234, to: nodePeer, command: 'ping' })
      const { m, bytes, from } = await raw.next()
      assert.deepEqual(m, expected({ tid: 0x1234, to: raw.peer, id: Buffer.from(node.id!) }))
      assert.deepEqual(reencode(m), bytes)
      assert.deepEqual(from, nodePeer)

      const value = Buffer.alloc(32, 3)
      await raw.send({ tid: 0x1235, to: nodePeer, command: 'ping', value })
      const echoed = await raw.next()
      assert.deepEqual(echoed.m, expected({ tid: 0x1235, to: raw.peer, id: Buffer.from(node.id!), value }))
    })

    test('a ping of more than 32 bytes gets no reply', async () => {
      await raw.send({ tid: 0x2000, to: nodePeer, command: 'ping', value: Buffer.alloc(33) })
      await raw.send({ tid: 0x2001, to: nodePeer, command: 'ping', value: Buffer.alloc(32) })
      await raw.next((m) => m.tid === 0x2001)
      assert.deepEqual(raw.received, [], 'the reply to the second ping came, none to the first')
    })

    test('find_node: status 0 and closerNodes, the nodes of our table closest to the target', async () => {
      await raw.send({ tid: 7, to: nodePeer, command: 'find_node', target: TARGET })
      const { m, bytes } = await raw.next()
      const closerNodes = peersOf(node.table.closest(TARGET))
      assert.ok(closerNodes.length >= 3)
      assert.deepEqual(m, expected({ tid: 7, to: raw.peer, id: Buffer.from(node.id!), closerNodes }))
      assert.deepEqual(reencode(m), bytes)
    })

    test('an unknown command: status 1 (UNKNOWN_COMMAND) with closerNodes, or without when no target', async () => {
      const barePeer = peerOf(bare)
      await raw.send({ tid: 8, to: barePeer, command: 'nope', target: TARGET })
      const withTarget = await raw.next()
      assert.deepEqual(withTarget.m, expected({ tid: 8, to: raw.peer, id: Buffer.from(bare.id!), closerNodes: peersOf(bare.table.closest(TARGET)), status: RefDHT.UNKNOWN_COMMAND }))
      assert.deepEqual(reencode(withTarget.m), withTarget.bytes)

      await raw.send({ tid: 9, to: barePeer, command: 'nope' })
      const without = await raw.next()
      assert.deepEqual(without.m, expected({ tid: 9, to: raw.peer, id: Buffer.from(bare.id!), status: 1 }))
    })

    test('a user command: the value, closerNodes and a token; the token then commits', async () => {
      await raw.send({ tid: 10, to: nodePeer, command: 'echo', target: TARGET, value: Buffer.from('hi') })
      const { m, bytes } = await raw.next()
      assert.equal(m.token?.byteLength, 32)
      assert.deepEqual(m, expected({ tid: 10, to: raw.peer, id: Buffer.from(node.id!), token: m.token, closerNodes: peersOf(node.table.closest(TARGET)), value: Buffer.from('hi') }))
      assert.deepEqual(reencode(m), bytes)

      stores.length = 0
      // as rc.6 commits: the token, no id
      await raw.send({ tid: 11, to: nodePeer, command: 'store', target: TARGET, token: m.token, value: Buffer.from('with token') })
      await raw.next((r) => r.tid === 11)
      await raw.send({ tid: 12, to: nodePeer, command: 'store', target: TARGET, token: TOKEN, value: Buffer.from('bad token') })
      await raw.next((r) => r.tid === 12)
      assert.deepEqual(stores, [{ commit: true, value: 'with token' }, { commit: false, value: 'bad token' }])
    })

    test('an error status, and an empty value sent as null', async () => {
      await raw.send({ tid: 13, to: nodePeer, command: 'fail' })
      const failed = await raw.next()
      assert.deepEqual(failed.m, expected({ tid: 13, to: raw.peer, id: Buffer.from(node.id!), token: failed.m.token, status: 42 }))
      await raw.send({ tid: 14, to: nodePeer, command: 'echo', value: Buffer.alloc(0) })
      const empty = await raw.next()
      assert.equal(empty.m.value, null)
      assert.equal(empty.bytes[empty.bytes.length - 1], 0)
    })

    test('ping_nat: answered from another socket, without id', async () => {
      await raw.send({ tid: 15, to: nodePeer, command: 'ping_nat' })
      const { m, from } = await raw.next()
      assert.deepEqual(m, expected({ tid: 15, to: raw.peer }))
      assert.notEqual(from.port, nodePeer.port)
    })

    test('unknown flag bits are ignored, as rc.6 ignores them', async () => {
      const bytes = referenceEncode(expected({ tid: 16, to: nodePeer, command: 'ping' }))
      bytes[1] = bytes[1]! | 0x70
      await raw.sendBytes(bytes, nodePeer)
      assert.equal((await raw.next()).m.tid, 16)
    })

    test('invalid datagrams get no reply and leave the node answering', async () => {
      const before = node.io.stats.invalidDatagrams
      const valid = referenceEncode(expected({ tid: 17, to: nodePeer, command: 'ping' }))
      const invalid = [
        Buffer.from([2, 1, 0, 0, 127, 0, 0, 1, 0, 0, 0xfd, 0xe8, 0x03]), // a command length past the end
        Buffer.concat([Buffer.from([1]), valid.subarray(1)]), // version 1
        valid.subarray(0, valid.length - 1), // truncated
        Buffer.from('hello, not a dht message')
      ]
      for (const bytes of [Buffer.alloc(0), Buffer.from([2]), ...invalid]) await raw.sendBytes(bytes, nodePeer)
      await raw.sendBytes(valid, nodePeer)
      await raw.next((m) => m.tid === 17)
      assert.deepEqual(raw.received, [])
      assert.equal(node.io.stats.invalidDatagrams - before, invalid.length, 'datagrams of 1 byte or less are dropped before decoding')
    })

    test('every request of @dht/wire/test-vectors/v5.json, sent as is, gets the reply a v5 node gives; replies and invalid ones get none', async () => {
      const barePeer = peerOf(bare)
      const requests = vectors.filter((v) => v.message?.type === 'request')
      assert.ok(requests.length >= 10)
      for (const v of requests) {
        const m = v.message as Extract<Vector['message'], { type: 'request' }>
        await raw.sendBytes(Buffer.from(v.hex, 'hex'), barePeer)
        const { m: reply, from } = await raw.next((r) => r.tid === m.tid)
        const target = m.target === null ? null : Buffer.from(m.target, 'hex')
        const closerNodes = target === null ? null : peersOf(bare.table.closest(target))
        const value = m.value === null ? null : Buffer.from(m.value, 'hex')
        const base = { tid: m.tid, to: raw.peer, id: Buffer.from(bare.id!) }
        if (m.command === 'ping') assert.deepEqual(reply, expected({ ...base, value }), v.name)
        else if (m.command === 'ping_nat') assert.deepEqual([reply, from.port !== barePeer.port], [expected({ tid: m.tid, to: raw.peer }), true], v.name)
        else if (m.command === 'find_node') assert.deepEqual(reply, expected({ ...base, closerNodes }), v.name)
        else assert.deepEqual(reply, expected({ ...base, closerNodes, status: RefDHT.UNKNOWN_COMMAND }), v.name)
      }

      const before = bare.io.stats.invalidDatagrams
      const silent = vectors.filter((v) => v.message?.type === 'reply' || v.error !== undefined)
      for (const v of silent) await raw.sendBytes(Buffer.from(v.hex, 'hex'), barePeer)
      await raw.send({ tid: 0xbeef, to: barePeer, command: 'ping' })
      await raw.next((r) => r.tid === 0xbeef)
      assert.deepEqual(raw.received, [], 'no reply to a reply, nor to an invalid datagram')
      const decoded = vectors.filter((v) => v.error !== undefined && v.hex.length > 2) // 1 byte or less is dropped unread
      assert.equal(bare.io.stats.invalidDatagrams - before, decoded.length, 'every invalid datagram of more than 1 byte failed to decode')
    })

    test('a request with the sender\'s true id adds it to the routing table; one with another id does not', async (t) => {
      const honest = await RawPeer.create()
      const liar = await RawPeer.create()
      t.after(() => honest.close())
      t.after(() => liar.close())
      await honest.send({ tid: 18, to: nodePeer, command: 'ping', id: DHT.id(honest.peer) as Buffer })
      await liar.send({ tid: 19, to: nodePeer, command: 'ping', id: DHT.id(honest.peer) as Buffer })
      await honest.next()
      await liar.next()
      await until(() => node.toArray().some((p) => p.port === honest.peer.port))
      assert.ok(!node.toArray().some((p) => p.port === liar.peer.port))
    })
  })
})

test('remoteAddress() is what reference-encoded replies say in `to`, from senders with true ids', async (t) => {
  const node = createOurs({ bootstrap: false })
  t.after(() => node.destroy())
  await node.ready()
  const ourPeer = peerOf(node)
  const seenAt = { host: '198.51.100.7', port: 4242 }
  for (let i = 0; i < 3; i++) {
    const peer = await RawPeer.create()
    t.after(() => peer.close())
    const pinging = node.ping(peer.peer)
    const { m } = await peer.next()
    await peer.send({ tid: m.tid, to: seenAt, id: DHT.id(peer.peer) as Buffer }, ourPeer)
    await pinging
  }
  assert.deepEqual(node.remoteAddress(), { type: DHT.NAT_PORT_CONSISTENT, ...seenAt })
})

// Decoded hosts come from a direct-mapped cache of strings: whatever was read before, and
// whichever slots collide, every peer decodes to its own address.

import test from 'node:test'
import assert from 'node:assert/strict'
import { decode, encodeReply, id, parsedHostOf, parseIPv4, PARSED_HOST, readIPv4, sharedId, sharedPeerId, sizeCachesForNodes } from '@dht/wire'
import type { ParsedPeer, Peer } from '@dht/wire'

function random32 (seed: number): () => number {
  let x = seed
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) | 0
    return x >>> 0
  }
}

const to = { host: '10.0.0.1', port: 1 }

function closerNodesOf (closerNodes: Peer[]): readonly Peer[] | null {
  const m = decode(encodeReply({ tid: 1, to, id: null, token: null, closerNodes, status: 0, value: null }))
  assert.equal(m.type, 'reply')
  assert.deepEqual(m.to, to)
  return m.closerNodes
}

test('every decoded host is its own address, through hits, misses and collisions', () => {
  const next = random32(7)
  // 20,000 distinct-ish addresses in 4096 slots: most collide with something read before
  const hosts = Array.from({ length: 20_000 }, () => {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setUint32(0, next())
    return readIPv4(b, 0)
  })
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < hosts.length; i += 20) {
      const list = hosts.slice(i, i + 20).map((host, j) => ({ host, port: (i + j) & 0xffff }))
      assert.deepEqual(closerNodesOf(list), list)
    }
  }
})

test('a reply gives its closer nodes and the own address right, read after thousands of others', () => {
  for (let i = 0; i < 256; i++) {
    const closerNodes = Array.from({ length: 20 }, (_, j) => ({ host: `192.168.${i}.${j}`, port: 1000 + j }))
    assert.deepEqual(closerNodesOf(closerNodes), closerNodes)
  }
})

test('a peer carrying its parsed host is encoded from it, to the same bytes', () => {
  const closerNodes = Array.from({ length: 20 }, (_, j) => ({ host: `172.16.${j}.${255 - j}`, port: 4000 + j }))
  const parsed = closerNodes.map((p) => ({ ...p, [PARSED_HOST]: parseIPv4(p.host)! }))
  const plain = encodeReply({ tid: 9, to, id: null, token: null, closerNodes, status: 0, value: null })
  const fromParsed = encodeReply({ tid: 9, to, id: null, token: null, closerNodes: parsed, status: 0, value: null })
  assert.deepEqual(fromParsed, plain)
  // the parsed host is trusted: it is what goes on the wire (so it must be parseIPv4(host))
  const lying: ParsedPeer = { host: '10.0.0.1', port: 1, [PARSED_HOST]: parseIPv4('10.0.0.2')! }
  const trusted = decode(encodeReply({ tid: 9, to, id: null, token: null, closerNodes: [lying], status: 0, value: null }))
  assert.deepEqual(trusted.type === 'reply' ? trusted.closerNodes : null, [{ host: '10.0.0.2', port: 1 }])
})

test('decoded peers keep their host parsed, hidden from copies and comparisons', () => {
  const hosts = ['0.0.0.0', '10.1.2.3', '127.0.0.1', '128.0.0.1', '255.255.255.255']
  const decoded = closerNodesOf(hosts.map((host, i) => ({ host, port: 100 + i })))!
  decoded.forEach((p, i) => {
    assert.equal(parsedHostOf(p), parseIPv4(hosts[i]))
    assert.deepEqual(Reflect.ownKeys(p), ['host', 'port'])
    assert.equal(Object.getPrototypeOf(p), Object.prototype)
    assert.deepEqual(p, { host: hosts[i], port: 100 + i }) // strict: symbols that are enumerable count
    const moved = { ...p, host: '10.9.9.9' }
    assert.equal(parsedHostOf(moved), parseIPv4('10.9.9.9'), 'a spread copy parses its own host')
    assert.equal(sharedPeerId(p), sharedId(p.host, p.port))
    assert.deepEqual(sharedPeerId(moved), id('10.9.9.9', p.port))
  })
  assert.equal(parsedHostOf({ host: 'localhost', port: 1 }), null)
  for (const notPeer of [null, undefined, 5, '10.0.0.1']) assert.equal(parsedHostOf(notPeer as never), null)
  assert.equal(parsedHostOf({ host: '10.0.0.1', port: 1, [PARSED_HOST]: 7 } as ParsedPeer), 7, 'a carried key is trusted')
  assert.throws(() => sharedPeerId({ host: 'localhost', port: 1 }), /host/)
  assert.throws(() => sharedPeerId({ host: '10.0.0.1', port: -1 }), /port/)
  assert.throws(() => sharedPeerId(null as never), /peer/)
})

test('sharedId: the id of an address, the same array while cached, never changed once handed out', () => {
  const a = sharedId('10.1.2.3', 4000)
  assert.deepEqual(a, id('10.1.2.3', 4000))
  assert.equal(sharedId('10.1.2.3', 4000), a, 'the same array again')
  const copy = Buffer.from(a) // a copy
  // enough other addresses to overwrite every slot, some many times
  for (let i = 0; i < 20_000; i++) {
    const host = `10.${(i >> 8) & 255}.${i & 255}.7`
    assert.deepEqual(sharedId(host, i & 0xffff), id(host, i & 0xffff))
  }
  assert.deepEqual(a, copy, 'an id handed out earlier is unchanged')
  assert.deepEqual(sharedId('10.1.2.3', 4000), copy)
  assert.throws(() => sharedId('10.1.2', 1), /host/)
  assert.throws(() => sharedId('10.1.2.3', 70000), /port/)
})

test('sharedId: each id is a Buffer that keeps no larger buffer alive', () => {
  for (let i = 0; i < 40; i++) {
    const a = sharedId(`10.9.${i}.1`, 5000 + i)
    assert.ok(Buffer.isBuffer(a))
    assert.equal(a.byteOffset, 0)
    assert.equal(a.buffer.byteLength, 32)
  }
})

test('decoded peers: the same frozen object for the same address while cached, never changed once handed out', () => {
  const peer = { host: '10.7.7.7', port: 7000 }
  const [first] = closerNodesOf([peer])!
  assert.ok(Object.isFrozen(first))
  assert.throws(() => { (first as Peer).port = 1 }, TypeError)
  const [again] = closerNodesOf([peer])!
  assert.equal(again, first, 'the same object again')
  assert.equal(closerNodesOf([{ host: '10.7.7.7', port: 7001 }])![0]!.port, 7001, 'another port is another peer')
  // enough other addresses to overwrite every slot, some many times
  for (let i = 0; i < 20_000; i += 20) {
    const list = Array.from({ length: 20 }, (_, j) => ({ host: `10.${(i >> 8) & 255}.${i & 255}.${j}`, port: (i + j) & 0xffff }))
    assert.deepEqual(closerNodesOf(list), list)
  }
  assert.deepEqual(first, peer, 'a peer handed out earlier is unchanged')
  assert.deepEqual(closerNodesOf([peer]), [peer])
})

test('sizeCachesForNodes: the caches grow with the nodes a process runs, and answer as before', () => {
  const hosts = Array.from({ length: 8000 }, (_, i) => `10.20.${i >> 8}.${i & 255}`)
  // the share of 8,000 addresses still cached right after all of them were asked for
  const idsKept = (): number => {
    const first = hosts.map((host) => sharedId(host, 9000))
    return hosts.filter((host, i) => sharedId(host, 9000) === first[i]).length / hosts.length
  }
  const peersKept = (): number => {
    const first = hosts.map((host) => closerNodesOf([{ host, port: 9001 }])![0])
    return hosts.filter((host, i) => closerNodesOf([{ host, port: 9001 }])![0] === first[i]).length / hosts.length
  }
  assert.ok(idsKept() <= 2048 / 8000, 'one node: 2,048 ids at most')
  assert.ok(peersKept() <= 4096 / 8000, 'one node: 4,096 peers at most')
  sizeCachesForNodes(10_000)
  assert.ok(idsKept() > 0.8)
  assert.ok(peersKept() > 0.8)
  sizeCachesForNodes(1) // never shrinks
  assert.ok(idsKept() > 0.8)
  for (const host of hosts.slice(0, 50)) assert.deepEqual(sharedId(host, 9000), id(host, 9000))
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => sizeCachesForNodes(bad), RangeError)
})

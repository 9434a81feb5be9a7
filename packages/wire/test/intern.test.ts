// An Intern hands out one object per address (its decoded peer, its id) and per command, to
// the nodes given the same one: whatever was read before, and whichever slots collide, every
// value is what decoding or hashing gives, and one handed out never changes.

import test from 'node:test'
import assert from 'node:assert/strict'
import { decode, encodeReply, encodeRequest, id, Intern, isWireError, readIPv4 } from '@dht/wire'
import type { Peer } from '@dht/wire'

function random32 (seed: number): () => number {
  let x = seed
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) | 0
    return x >>> 0
  }
}

const to = { host: '10.0.0.1', port: 1 }

function closerNodesOf (closerNodes: Peer[], intern?: Intern): readonly Peer[] | null {
  const m = decode(encodeReply({ tid: 1, to, id: null, token: null, closerNodes, status: 0, value: null }), intern)
  assert.equal(m.type, 'reply')
  assert.deepEqual(m.to, to)
  return m.closerNodes
}

test('every decoded peer is its own address, through hits, misses and collisions', () => {
  const next = random32(7)
  // 20,000 distinct-ish addresses in 1,024 slots: most collide with something read before
  const hosts = Array.from({ length: 20_000 }, () => {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setUint32(0, next())
    return readIPv4(b, 0)
  })
  const intern = new Intern()
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < hosts.length; i += 20) {
      const list = hosts.slice(i, i + 20).map((host, j) => ({ host, port: (i + j) & 0xffff }))
      assert.deepEqual(closerNodesOf(list, intern), list)
      if (round === 0) assert.deepEqual(closerNodesOf(list), list)
    }
  }
})

test('a decoded peer is a plain frozen { host, port }; a spread copy with another host encodes that host', () => {
  const hosts = ['0.0.0.0', '10.1.2.3', '127.0.0.1', '128.0.0.1', '255.255.255.255']
  const list = hosts.map((host, i) => ({ host, port: 100 + i }))
  for (const intern of [new Intern(), undefined]) {
    const decoded = closerNodesOf(list, intern)!
    decoded.forEach((p, i) => {
      assert.deepEqual(Reflect.ownKeys(p), ['host', 'port'])
      assert.equal(Object.getPrototypeOf(p), Object.prototype)
      assert.ok(Object.isFrozen(p))
      assert.deepEqual(p, { host: hosts[i], port: 100 + i })
      const moved = { ...p, host: '10.9.9.9' }
      assert.deepEqual(closerNodesOf([moved], intern), [{ host: '10.9.9.9', port: 100 + i }])
      const m = decode(encodeReply({ tid: 2, to: moved, id: null, token: null, closerNodes: null, status: 0, value: null }), intern)
      assert.deepEqual(m.to, { host: '10.9.9.9', port: 100 + i })
    })
  }
})

test('decoded peers: the same frozen object for the same address while remembered, never changed once handed out', () => {
  const intern = new Intern()
  const peer = { host: '10.7.7.7', port: 7000 }
  const [first] = closerNodesOf([peer], intern)!
  assert.throws(() => { (first as Peer).port = 1 }, TypeError)
  assert.equal(closerNodesOf([peer], intern)![0], first, 'the same object again')
  assert.equal(closerNodesOf([{ host: '10.7.7.7', port: 7001 }], intern)![0]!.port, 7001, 'another port is another peer')
  assert.notEqual(closerNodesOf([peer])![0], first, 'without the intern, a new object')
  // enough other addresses to overwrite every slot, some many times
  for (let i = 0; i < 20_000; i += 20) {
    const list = Array.from({ length: 20 }, (_, j) => ({ host: `10.${(i >> 8) & 255}.${i & 255}.${j}`, port: (i + j) & 0xffff }))
    assert.deepEqual(closerNodesOf(list, intern), list)
  }
  assert.deepEqual(first, peer, 'a peer handed out earlier is unchanged')
  assert.deepEqual(closerNodesOf([peer], intern), [peer])
})

test('intern.id: the id of an address, the same array while remembered, never changed once handed out', () => {
  const intern = new Intern()
  const a = intern.id('10.1.2.3', 4000)
  assert.deepEqual(a, id('10.1.2.3', 4000))
  assert.equal(intern.id('10.1.2.3', 4000), a, 'the same array again')
  const copy = Buffer.from(a)
  // enough other addresses to overwrite every slot, some many times
  for (let i = 0; i < 20_000; i++) {
    const host = `10.${(i >> 8) & 255}.${i & 255}.7`
    assert.deepEqual(intern.id(host, i & 0xffff), id(host, i & 0xffff))
  }
  assert.deepEqual(a, copy, 'an id handed out earlier is unchanged')
  assert.deepEqual(intern.id('10.1.2.3', 4000), copy)
  for (const [host, port, message] of [['10.1.2', 1, /host/], ['localhost', 1, /host/], [null, 1, /host/], ['10.1.2.3', 70000, /port/], ['10.1.2.3', 1.5, /port/]] as const) {
    assert.throws(() => intern.id(host as string, port), (err: unknown) => isWireError(err, 'INVALID_ARGUMENT') && message.test(err.message))
  }
})

test('intern.id: each id is a Buffer of its own, that keeps no larger buffer alive', () => {
  const intern = new Intern()
  for (let i = 0; i < 40; i++) {
    const a = intern.id(`10.9.${i}.1`, 5000 + i)
    assert.ok(Buffer.isBuffer(a))
    assert.equal(a.byteOffset, 0)
    assert.equal(a.buffer.byteLength, 32)
  }
})

test('two interns do not affect each other; one shared is shared', () => {
  const a = new Intern()
  const b = new Intern()
  const peer = { host: '10.3.3.3', port: 3000 }
  const idA = a.id(peer.host, peer.port)
  const [peerA] = closerNodesOf([peer], a)!
  assert.notEqual(b.id(peer.host, peer.port), idA)
  assert.notEqual(closerNodesOf([peer], b)![0], peerA)
  // filling b to the brim leaves what a remembers alone
  for (let i = 0; i < 20_000; i++) b.id(`10.4.${(i >> 8) & 255}.${i & 255}`, i & 0xffff)
  assert.equal(a.id(peer.host, peer.port), idA)
  assert.equal(closerNodesOf([peer], a)![0], peerA)
  // and whoever is given a gets the same objects
  const viaRequest = decode(encodeRequest({ tid: 3, to: peer, id: null, token: null, target: null, command: 'ping', value: null }, a), a)
  assert.equal(viaRequest.to, peerA)
})

test('new Intern({ nodes }): 8 addresses a node, 1,024 at least, and bad sizes refused', () => {
  assert.equal(new Intern().slots, 1024)
  assert.equal(new Intern({ nodes: 1 }).slots, 1024)
  assert.equal(new Intern({ nodes: 1000 }).slots, 8192)
  assert.equal(new Intern({ nodes: 10_000_000 }).slots, 2 ** 21)
  const hosts = Array.from({ length: 8000 }, (_, i) => `10.20.${i >> 8}.${i & 255}`)
  // the share of 8,000 addresses still remembered right after all of them were asked for
  const kept = (intern: Intern): number => {
    const first = hosts.map((host) => intern.id(host, 9000))
    return hosts.filter((host, i) => intern.id(host, 9000) === first[i]).length / hosts.length
  }
  assert.ok(kept(new Intern()) <= 1024 / 8000)
  assert.ok(kept(new Intern({ nodes: 10_000 })) > 0.8)
  for (const bad of [0, -1, 1.5, Number.NaN, '8', null]) {
    assert.throws(() => new Intern({ nodes: bad as number }), (err: unknown) => isWireError(err, 'INVALID_ARGUMENT') && /nodes/.test(err.message))
  }
  assert.throws(() => new Intern(null as never), (err: unknown) => isWireError(err, 'INVALID_ARGUMENT'))
})

test('commands: an intern encodes a command it has seen from memory, to the same bytes', () => {
  const intern = new Intern()
  const long = 'x'.repeat(100) // too long to be remembered: encoded each time
  for (const command of ['find_node', 'ping', 'échange', long]) {
    const m = { tid: 5, to, id: null, token: null, target: null, command, value: null }
    const plain = encodeRequest(m)
    for (let i = 0; i < 3; i++) assert.deepEqual(encodeRequest(m, intern), plain)
    const decoded = decode(plain, intern)
    assert.equal(decoded.type === 'request' ? decoded.command : null, command)
  }
  // 64 are remembered; the ones after are encoded each time, alike
  for (let i = 0; i < 100; i++) {
    const m = { tid: 5, to, id: null, token: null, target: null, command: `c${i}`, value: null }
    const bytes = encodeRequest(m, intern)
    assert.deepEqual(bytes, encodeRequest(m))
    const decoded = decode(bytes, intern)
    assert.equal(decoded.type === 'request' ? decoded.command : null, `c${i}`)
  }
})

test('encoding a request through an intern gives the bytes and the errors encoding without one gives', () => {
  const intern = new Intern()
  for (let i = 0; i < 3000; i++) {
    const m = { tid: i & 0xffff, to: { host: `172.${(i >> 8) & 255}.${i & 255}.1`, port: 1000 + (i % 20) }, id: null, token: null, target: null, command: `c${i % 50}`, value: null }
    assert.deepEqual(encodeRequest(m, intern), encodeRequest(m))
  }
  for (const host of ['localhost', '10.0.0', '', '010.0.0.1']) {
    const m = { tid: 1, to, id: null, token: null, closerNodes: [{ host, port: 1 }], status: 0, value: null }
    assert.throws(() => encodeReply(m), (err: unknown) => isWireError(err, 'INVALID_ARGUMENT') && /peers\[0\]\.host/.test(err.message))
    assert.throws(() => encodeRequest({ tid: 1, to: { host, port: 1 }, id: null, token: null, target: null, command: 'ping', value: null }, intern), /to\.host/)
  }
})

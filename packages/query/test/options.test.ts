import test from 'node:test'
import assert from 'node:assert/strict'
import { Query } from '@dht/query'
import type { QueryNode } from '@dht/query'
import { FakeNetwork } from './support/network.js'
import { fakeId, hex } from './support/ids.js'
import { run } from './support/run.js'

function target (byte = 0xa5): Uint8Array {
  return new Uint8Array(32).fill(byte)
}

function ids (nodes: readonly { id: Uint8Array | null }[]): string[] {
  return nodes.map((n) => hex(n.id!))
}

test('map turns replies into the stream data', async () => {
  const net = new FakeNetwork({ size: 100 })
  const q = new Query(net.host(), target(), 'find_node', null, { map: (r) => r.from.host }, null)
  const { data, error } = await run(net, q)
  assert.equal(error, null)
  assert.equal(data.length, q.successes)
  assert.ok(data.every((h) => typeof h === 'string' && h.startsWith('10.0.')))
})

test('a map that returns null or undefined filters replies out (they still count and route)', async () => {
  const net = new FakeNetwork({ size: 100 })
  let n = 0
  const q = new Query(net.host(), target(), 'find_node', null, {
    map: (r) => (n++ % 2 === 0 ? null : n % 3 === 0 ? undefined : r.from.port)
  }, null)
  const { data } = await run(net, q)
  assert.ok(data.length > 0)
  assert.ok(data.length < q.successes)
  assert.ok(data.every((p) => p === 49737))
  assert.deepEqual(ids(q.closestReplies), ids(net.trueClosest(target())))
})

test('a map that throws ends the stream with its error and cancels the rest', async () => {
  const net = new FakeNetwork({ size: 100 })
  const boom = new Error('bad map')
  const q = new Query(net.host(), target(), 'find_node', null, { map: () => { throw boom } }, null)
  const { error } = await run(net, q)
  assert.equal(error, boom)
  assert.equal(net.inflight, 0)
})

test('nodes: the lookup starts from the given nodes only, nearest first, id-less ones first', async () => {
  const net = new FakeNetwork({ size: 200 })
  const host = net.host()
  const t = target()
  const seeds: QueryNode[] = net.nodes.slice(0, 30).map((n) => ({ id: n.id, host: n.host, port: n.port }))
  const idless = { host: net.nodes[40]!.host, port: net.nodes[40]!.port }
  const q = new Query(host, t, 'find_node', null, { nodes: [...seeds, idless], concurrency: 5 }, null)
  const { sends, error } = await run(net, q)
  assert.equal(error, null)
  assert.equal(host.closestCalls, 0, 'the routing table was not used')
  assert.equal(host.bootstrapCalls, 0)
  const first = sends.slice(0, 5).map((s) => s.m.to.host)
  const nearestSeeds = [...seeds].sort((a, b) => Buffer.compare(xor(a.id!, t), xor(b.id!, t))).map((s) => s.host)
  assert.deepEqual(first, [idless.host, ...nearestSeeds.slice(0, 4)])
  assert.deepEqual(ids(q.closestReplies), ids(net.trueClosest(t)))
})

test('closestNodes is another name for nodes, and entries may come without ids', async () => {
  const net = new FakeNetwork({ size: 100 })
  const host = net.host()
  const seeds = net.nodes.slice(50, 60).map((n) => ({ host: n.host, port: n.port }))
  const q = new Query(host, target(), 'find_node', null, { closestNodes: seeds }, null)
  const { sends } = await run(net, q)
  assert.deepEqual(sends.slice(0, 10).map((s) => s.m.to.host), seeds.map((s) => s.host))
  assert.equal(host.closestCalls, 0)
})

test('when fewer than k/4 of the seeds answer, the lookup carries on from the routing table', async () => {
  const net = new FakeNetwork({ size: 200 })
  const host = net.host()
  const stale = Array.from({ length: 20 }, (_, i) => {
    const h = `10.9.0.${i + 1}` // nobody there
    return { id: fakeId(h, 49737), host: h, port: 49737 }
  })
  const q = new Query(host, target(), 'find_node', null, { nodes: stale }, null)
  const { sends, error } = await run(net, q)
  assert.equal(error, null)
  assert.equal(host.closestCalls, 1)
  assert.ok(sends.slice(0, 20).every((s) => s.m.to.host.startsWith('10.9.')))
  assert.ok(sends.slice(20).every((s) => s.m.to.host.startsWith('10.0.')))
  assert.deepEqual(ids(q.closestReplies), ids(net.trueClosest(target())))
})

test('when enough seeds answer, the routing table is not used', async () => {
  const net = new FakeNetwork({ size: 200 })
  const host = net.host()
  const first = new Query(host, target(), 'find_node', null, undefined, null)
  await run(net, first)
  assert.equal(host.closestCalls, 1)
  const again = new Query(host, target(), 'find_node', null, { nodes: first.closestNodes }, null)
  const { sends } = await run(net, again)
  assert.equal(host.closestCalls, 1, 'only the first query read the table')
  // the first answers come in while the closest replies are still fewer than k, so a few
  // nodes past the seeds may be asked before the rest of the seeds have answered
  assert.ok(sends.length <= 25, `the closest nodes of the first lookup were nearly enough (${sends.length} requests)`)
  assert.deepEqual(ids(again.closestReplies), ids(first.closestReplies))
})

test('with an empty routing table the lookup starts from the bootstrap nodes', async () => {
  const net = new FakeNetwork({ size: 200 })
  const bootstrap = net.nodes.slice(0, 3).map((n) => ({ id: n.id, host: n.host, port: n.port }))
  const host = net.host({ table: [], bootstrap })
  const q = new Query(host, target(), 'find_node', null, undefined, null)
  const { sends, error } = await run(net, q)
  assert.equal(error, null)
  assert.equal(host.bootstrapCalls, 1)
  assert.deepEqual(new Set(sends.slice(0, 3).map((s) => s.m.to.host)), new Set(bootstrap.map((b) => b.host)))
  assert.deepEqual(ids(q.closestReplies), ids(net.trueClosest(target())))
})

test('a small routing table is topped up with the bootstrap nodes; a full one is not', async () => {
  const net = new FakeNetwork({ size: 200 })
  const bootstrap = [{ id: null, host: net.nodes[199]!.host, port: 49737 }]
  const small = net.host({ table: net.nodes.slice(0, 5), bootstrap })
  const { sends } = await run(net, new Query(small, target(), 'find_node', null, undefined, null))
  assert.equal(small.bootstrapCalls, 1)
  assert.ok(sends.some((s) => s.m.to.host === net.nodes[199]!.host))
  const full = net.host({ bootstrap })
  await run(net, new Query(full, target(), 'find_node', null, undefined, null))
  assert.equal(full.bootstrapCalls, 0)
})

test('a failing bootstrap lookup leaves the query with what it has', async () => {
  const net = new FakeNetwork({ size: 50 })
  const host = net.host({ table: net.nodes.slice(0, 3) })
  host.bootstrapNodes = () => Promise.reject(new Error('dns failed'))
  const { error } = await run(net, new Query(host, target(), 'find_node', null, undefined, null))
  assert.equal(error, null)
})

test('nothing to ask at all: the stream just ends', async () => {
  const net = new FakeNetwork({ size: 10 })
  const host = net.host({ table: [] })
  const q = new Query(host, target(), 'find_node', null, undefined, null)
  const { error, sends, data } = await run(net, q)
  assert.equal(error, null)
  assert.equal(sends.length, 0)
  assert.equal(data.length, 0)
  assert.deepEqual(q.closestNodes, [])
})

function xor (a: Uint8Array, b: Uint8Array): Buffer {
  return Buffer.from(a.map((x, i) => x ^ b[i]!))
}

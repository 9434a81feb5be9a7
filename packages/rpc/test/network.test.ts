import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import DHT from '@dht/rpc'
import type { DHTQuery, DHTReply, DHTRequest } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import type { Testnet } from '@dht/rpc/testnet'
import { compareDistance } from '@dht/table'
import { sha256 } from './helpers.js'

const SIZE = 500

describe(`a ${SIZE}-node network on loopback`, () => {
  let testnet: Testnet
  const commits = new Map<DHT, DHTRequest[]>()

  before(async () => {
    testnet = await createTestnet(SIZE, { parallel: 16 })
    for (const node of testnet.nodes) {
      commits.set(node, [])
      node.on('request', (req) => {
        if (req.command !== 'values') return
        if (req.commit) commits.get(node)!.push(req)
        req.reply(null)
      })
    }
  })

  after(async () => {
    await testnet.destroy()
  })

  test('every joined node is persistent and known to others', () => {
    const persistent = testnet.nodes.slice(1)
    assert.ok(persistent.every((n) => !n.ephemeral && n.id !== null))
    const tableSizes = persistent.map((n) => n.table.size)
    const mean = tableSizes.reduce((a, b) => a + b, 0) / tableSizes.length
    assert.ok(mean >= 20, `mean routing table size ${mean}`)
  })

  test('a query finds an exact node id, and a query seeded from its closestNodes finds it again', async () => {
    const nodes = testnet.nodes
    const target = nodes[SIZE - 7]!.id!
    const asker = nodes[3]!
    const query = asker.query(target, 'find_node', null)
    const replies: DHTReply[] = []
    for await (const reply of query) replies.push(reply)
    assert.ok(replies.some((r) => r.id !== null && Buffer.compare(r.id, target) === 0), 'the target itself replied')
    assert.deepEqual(query.closestNodes[0]!.id, target)
    assert.equal(query.closestNodes.length, 20)

    const seeded = nodes[40]!.query(target, 'find_node', null, { nodes: query.closestNodes })
    await seeded.finished()
    assert.deepEqual(seeded.closestReplies[0]!.id, target)
  })

  test('closestReplies are the true 20 closest nodes, nearest first', async () => {
    const target = sha256(Buffer.from('some key'))
    const query = testnet.nodes[10]!.query(target, 'find_node', null)
    await query.finished()
    const ids = testnet.nodes.slice(1).map((n) => n.id!).sort((a, b) => compareDistance(target, a, b))
    const expected = ids.slice(0, 20).map((id) => Buffer.from(id).toString('hex'))
    const got = query.closestReplies.map((r) => Buffer.from(r.id!).toString('hex'))
    const recall = got.filter((id) => expected.includes(id)).length
    assert.ok(recall >= 19, `found ${recall} of the 20 closest`)
    for (let i = 1; i < got.length; i++) assert.ok(compareDistance(target, query.closestReplies[i - 1]!.id!, query.closestReplies[i]!.id!) < 0)
  })

  test('commit: true reaches exactly k nodes, each with a valid round-trip token', async () => {
    const value = Buffer.from('hello world')
    const key = sha256(value)
    for (const list of commits.values()) list.length = 0
    const query = testnet.nodes[25]!.query(key, 'values', value, { commit: true })
    await query.finished()
    const committed = [...commits].filter(([, reqs]) => reqs.length > 0)
    assert.equal(committed.length, 20, 'exactly k nodes committed')
    for (const [, reqs] of committed) {
      assert.equal(reqs.length, 1)
      assert.equal(reqs[0]!.token!.byteLength, 32)
      assert.equal(reqs[0]!.commit, true)
    }
    const closest = new Set(query.closestReplies.map((r) => Buffer.from(r.id!).toString('hex')))
    for (const [node] of committed) assert.ok(closest.has(Buffer.from(node.id!).toString('hex')), 'only the closest nodes commit')
  })

  test('a commit function gets each closest reply, the node and the query', async () => {
    const key = sha256(Buffer.from('custom commit'))
    const asker = testnet.nodes[30]!
    const seen: DHTReply[] = []
    const query: DHTQuery = asker.query(key, 'values', null, {
      async commit (reply, dht, q): Promise<void> {
        assert.equal(dht, asker)
        assert.equal(q, query)
        seen.push(reply)
        await dht.request(key, 'values', Buffer.from('v'), reply.from, { token: reply.token })
      }
    })
    await query.finished()
    assert.equal(seen.length, 20)
  })

  test('map turns replies into what the stream yields, and null skips', async () => {
    const key = sha256(Buffer.from('map me'))
    const query = testnet.nodes[50]!.query(key, 'find_node', null, {
      map: (reply) => reply.closerNodes === null ? null : { from: reply.from.port, count: reply.closerNodes.length }
    })
    const items: Array<{ from: number, count: number }> = []
    for await (const item of query) items.push(item)
    assert.ok(items.length >= 20)
    assert.ok(items.every((i) => typeof i.from === 'number' && i.count > 0))
  })

  test('lookups run at once share the politeness window: narrower while many run, all finding their targets', async () => {
    const asker = testnet.nodes[5]!
    assert.equal(asker.concurrency, 20)
    const targets = testnet.nodes.slice(100, 132).map((n) => n.id!)
    const queries = targets.map((t) => asker.query(t, 'find_node', null))
    // 32 lookups share 80 requests in flight: 2.5 each, but never fewer than 3
    assert.deepEqual(new Set(queries.map((q) => q.concurrency)), new Set([3]))
    const explicit = asker.query(targets[0]!, 'find_node', null, { concurrency: 7 })
    assert.equal(explicit.concurrency, 7, 'a lookup given its own concurrency keeps it')
    assert.equal(queries[0]!.concurrency, 3, 'and does not count against the others')

    await Promise.all([...queries, explicit].map((q) => q.finished()))
    for (const [i, q] of queries.entries()) assert.deepEqual(q.closestNodes[0]?.id, targets[i], `lookup ${i} found its target`)

    const alone = asker.query(targets[1]!, 'find_node', null)
    assert.equal(alone.concurrency, 20, 'alone again: the full width')
    await alone.finished()
  })

  test('concurrency can be changed on a running node, and only to a positive integer', () => {
    const node = testnet.nodes[6]!
    assert.throws(() => { node.concurrency = 0 }, /concurrency must be a positive integer, got 0/)
    assert.throws(() => { node.concurrency = 2.5 }, TypeError)
    node.concurrency = 8
    assert.equal(node.concurrency, 8)
    const q = node.query(testnet.nodes[7]!.id!, 'find_node', null)
    assert.equal(q.concurrency, 8)
    q.destroy()
    node.concurrency = 20
  })
})

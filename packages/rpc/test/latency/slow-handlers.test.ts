// Handlers that take hundreds of milliseconds to seconds to answer (a disk, a database, another
// peer), on real UDP: lookups, commits and requests still get their answers, and each request
// runs its handler once however often it was re-sent.

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import DHT from '@dht/rpc'
import type { DHTRequest } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import type { Testnet } from '@dht/rpc/testnet'
import { compareDistance } from '@dht/table'
import { LOOPBACK, sha256 } from '../helpers.js'

const SIZE = 24 // persistent nodes: more than k, so a commit must pick the closest 20
const DELAYS = [250, 1500, 3000]

describe(`handlers answering after ${DELAYS.join(', ')} ms, real UDP, ${SIZE} nodes`, () => {
  let testnet: Testnet
  let client: DHT
  // every run of a handler: which node ran it, for which request
  const runs: Array<{ node: DHT, req: DHTRequest }> = []

  before(async () => {
    testnet = await createTestnet(SIZE)
    for (const node of testnet.nodes.slice(1)) {
      node.on('request', (req) => {
        const delay = Number(req.command.replace('slow-', ''))
        if (!Number.isInteger(delay)) return
        runs.push({ node, req })
        setTimeout(() => { req.reply(Buffer.from('done after ' + delay)) }, delay)
      })
    }
    client = new DHT({ bootstrap: testnet.bootstrap, host: LOOPBACK, ephemeral: true })
    await client.ready()
  })

  after(async () => {
    await client.destroy()
    await testnet.destroy()
  })

  const persistentIds = (): Uint8Array[] => testnet.nodes.slice(1).map((n) => n.id!)
  const trueClosest = (target: Uint8Array): string[] =>
    persistentIds().sort((a, b) => compareDistance(target, a, b)).slice(0, 20).map(hex)
  const runsOf = (command: string): typeof runs => runs.filter((r) => r.req.command === command)

  test('query(): every lookup ends with the true 20 closest, each node running the handler once', async () => {
    const lookups = DELAYS.map(async (delay) => {
      const command = 'slow-' + delay
      const target = sha256(Buffer.from('lookup ' + delay))
      const started = Date.now()
      const query = client.query(target, command, null)
      let replies = 0
      for await (const reply of query) {
        assert.equal(Buffer.from(reply.value!).toString(), 'done after ' + delay)
        replies++
      }
      const elapsed = Date.now() - started
      assert.ok(elapsed >= delay, `ended after ${elapsed} ms, before any handler could answer`)
      assert.deepEqual(query.closestReplies.map((r) => hex(r.id!)), trueClosest(target), `delay ${delay}: the true 20 closest`)
      assert.ok(replies >= 20, `delay ${delay}: ${replies} replies`)
      const ran = runsOf(command)
      assert.equal(ran.length, new Set(ran.map((r) => r.node)).size, `delay ${delay}: a node ran its handler twice`)
      assert.ok(ran.length >= replies, `delay ${delay}: ${ran.length} runs for ${replies} replies`)
    })
    await Promise.all(lookups)
  })

  test('commit: true reaches exactly the 20 closest nodes, once each, with a valid token', async () => {
    const commits = DELAYS.map(async (delay) => {
      const command = 'slow-commit-' + delay
      // the same handler, told apart by command so the runs of each delay can be counted
      const target = sha256(Buffer.from('commit ' + delay))
      const query = client.query(target, 'slow-' + delay, Buffer.from(command), { commit: true })
      await query.finished()
      const committed = runsOf('slow-' + delay).filter((r) => r.req.commit && r.req.value !== null && Buffer.from(r.req.value).toString() === command)
      assert.deepEqual(committed.map((r) => hex(r.node.id!)).sort(), trueClosest(target).sort(), `delay ${delay}: the commits reached the true 20 closest`)
      assert.equal(new Set(committed.map((r) => r.node)).size, 20, `delay ${delay}: a node committed twice`)
    })
    await Promise.all(commits)
  })

  test('request(): resolves with the reply, and the handler runs once', async () => {
    const requests = DELAYS.map(async (delay, i) => {
      const node = testnet.nodes[1 + i]!
      const command = 'slow-' + delay
      const before = runsOf(command).filter((r) => r.node === node).length
      const started = Date.now()
      const reply = await client.request(null, command, null, { host: LOOPBACK, port: node.address()!.port })
      const elapsed = Date.now() - started
      assert.equal(Buffer.from(reply.value!).toString(), 'done after ' + delay)
      assert.ok(elapsed >= delay, `resolved after ${elapsed} ms`)
      assert.equal(runsOf(command).filter((r) => r.node === node).length - before, 1, `delay ${delay}: handler runs`)
    })
    await Promise.all(requests)
  })
})

function hex (id: Uint8Array): string {
  return Buffer.from(id).toString('hex')
}

// A node that never answers, on real UDP with the default timings: it costs exactly 4 sends,
// in a request and in a lookup, and then the request fails and the lookup ends.

import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import DHT, { isIOError } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { LOOPBACK, sha256, silentPeer } from '../helpers.js'

// each waits out the 6 s default timeout: run together
describe('silent nodes', { concurrency: true }, () => {
  test('a silent node gets 4 sends from a request, which then fails with REQUEST_TIMEOUT', async (t) => {
    const silent = await silentPeer()
    t.after(() => silent.close())
    const node = new DHT({ bootstrap: false, host: LOOPBACK })
    t.after(() => node.destroy())
    await node.bind()
    await assert.rejects(node.request(null, 'ping', null, silent.peer), (err) => isIOError(err, 'REQUEST_TIMEOUT'))
    assert.equal(silent.received.length, 4)
  })

  test('retry: false sends once', async (t) => {
    const silent = await silentPeer()
    t.after(() => silent.close())
    const node = new DHT({ bootstrap: false, host: LOOPBACK })
    t.after(() => node.destroy())
    await node.bind()
    await assert.rejects(node.request(null, 'ping', null, silent.peer, { retry: false }), (err) => isIOError(err, 'REQUEST_TIMEOUT'))
    assert.equal(silent.received.length, 1)
  })

  test('a silent node among a lookup\'s first nodes gets 4 sends, and the lookup still ends with every live node', async (t) => {
    const testnet = await createTestnet(5)
    t.after(() => testnet.destroy())
    const silent = await silentPeer()
    t.after(() => silent.close())
    const asker = testnet.nodes[1]!
    const others = testnet.nodes.slice(2)
    const seeds = [silent.peer, ...others.map((n) => ({ host: LOOPBACK, port: n.address()!.port }))]
    const query = asker.query(sha256(Buffer.from('silent')), 'find_node', null, { nodes: seeds })
    await query.finished()
    assert.equal(silent.received.length, 4)
    const answered = new Set(query.closestReplies.map((r) => Buffer.from(r.id!).toString('hex')))
    for (const node of others) assert.ok(answered.has(Buffer.from(node.id!).toString('hex')), 'every live node is among the closest replies')
  })
})

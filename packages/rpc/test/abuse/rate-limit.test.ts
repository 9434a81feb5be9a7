// A flood of requests from one host over real UDP: the node drops what is over the limit
// unread, and keeps answering another host as before.
import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import DHT from '@dht/rpc'
import { encodeRequest } from '@dht/wire'
import { LOOPBACK } from '../helpers.js'
import { OTHER_HOST as FLOODER, canBind } from './hosts.js'

const FLOOD = 30_000

test('a flood from one host is cut to its rate limit, and another host is answered throughout', async (t) => {
  if (!await canBind(FLOODER)) return t.skip(`${FLOODER} cannot be bound here`) // the limit is per host
  const flooder = dgram.createSocket('udp4')
  flooder.bind(0, FLOODER)
  await once(flooder, 'listening')
  let floodReplies = 0
  flooder.on('message', () => { floodReplies++ })

  const rateLimit = { requests: 500, per: 1000, burst: 200 }
  const node = new DHT({ bootstrap: false, host: LOOPBACK, rateLimit })
  const honest = new DHT({ bootstrap: false, host: LOOPBACK })
  t.after(() => Promise.all([node.destroy(), honest.destroy()]))
  const to = { host: LOOPBACK, port: await node.bind() }

  let flooding = true
  const start = Date.now()
  const flood = (async () => {
    for (let i = 0; i < FLOOD; i++) {
      flooder.send(encodeRequest({ tid: i & 0xffff, to, id: null, token: null, target: null, command: 'ping', value: null }), to.port, LOOPBACK)
      // let the node read: a full socket buffer would drop everyone's datagrams, not the flooder's
      if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve))
    }
    flooding = false
  })()

  let pings = 0
  while (flooding) {
    const reply = await honest.ping(to)
    assert.equal(reply.status, 0)
    pings++
  }
  await flood
  const seconds = (Date.now() - start) / 1000
  await new Promise((resolve) => setTimeout(resolve, 100))
  flooder.close()

  const { rateLimited } = node.io.stats
  t.diagnostic(`${FLOOD} pings from ${FLOODER} in ${seconds.toFixed(2)} s: ${floodReplies} answered, ${rateLimited} dropped; ${pings} pings from ${LOOPBACK} answered meanwhile`)
  assert.ok(pings >= 5, 'the other host kept being answered')
  assert.ok(rateLimited > 0, 'the flood was over the limit')
  const allowance = rateLimit.burst + rateLimit.requests * seconds + 50
  assert.ok(floodReplies <= allowance, `the flooder got ${floodReplies} replies, more than its ${Math.round(allowance)} allowed`)
})

test('the default limit is never hit by a node bootstrapping and looking up among 30 nodes on one host', async (t) => {
  const { createTestnet } = await import('@dht/rpc/testnet')
  const testnet = await createTestnet(30)
  t.after(() => testnet.destroy())
  const [, a] = testnet.nodes
  await Promise.all(Array.from({ length: 20 }, (_, i) => a!.query(Buffer.alloc(32, i), 'find_node').finished()))
  for (const node of testnet.nodes) assert.equal(node.io.stats.rateLimited, 0)
})

test('a bad rateLimit option throws a TypeError that names it', () => {
  assert.throws(() => new DHT({ rateLimit: { requests: -1, per: 1000 } }), /rateLimit.requests must be a positive number, got -1/)
  assert.throws(() => new DHT({ rateLimit: { requests: 10, per: 0 } }), /rateLimit.per must be/)
  assert.throws(() => new DHT({ rateLimit: { requests: 10, per: 1000, burst: 0 } }), /rateLimit.burst must be a number of at least 1/)
})

import test from 'node:test'
import assert from 'node:assert/strict'
import DHT, { isIOError } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { LOOPBACK } from './helpers.js'

test('a 2-node network: ping, custom commands, error statuses and UNKNOWN_COMMAND', async (t) => {
  const testnet = await createTestnet(2)
  t.after(() => testnet.destroy())
  const [, a, b] = testnet.nodes as [DHT, DHT, DHT]
  b.on('request', (req) => {
    if (req.command === 'echo') return req.reply(req.value)
    if (req.command === 'fail') return req.error(42)
  })
  const bAddress = { host: LOOPBACK, port: b.address()!.port }

  const pong = await a.ping(bAddress)
  assert.equal(pong.status, 0)
  assert.deepEqual(pong.from, bAddress)
  assert.deepEqual(pong.id, b.id, 'a persistent node replies with its verified id')

  const echo = await a.request(null, 'echo', Buffer.from('hi'), bAddress)
  assert.deepEqual(echo.value, Buffer.from('hi'))

  await assert.rejects(a.request(null, 'fail', null, bAddress), (err: unknown) => isIOError(err, 'REQUEST_FAILED') && err.status === 42)
  const failed = await a.request(null, 'fail', null, bAddress, { expectOk: false })
  assert.equal(failed.status, 42)

  // a node without a 'request' listener answers UNKNOWN_COMMAND (one with a listener leaves it to the listener)
  const aAddress = { host: LOOPBACK, port: a.address()!.port }
  const unknown = await b.request(Buffer.alloc(32), 'nope', null, aAddress, { expectOk: false })
  assert.equal(unknown.status, DHT.UNKNOWN_COMMAND)
  assert.ok(unknown.closerNodes !== null && unknown.closerNodes.length > 0, 'with closerNodes')
  await assert.rejects(b.request(Buffer.alloc(32), 'nope', null, aAddress), (err: unknown) => isIOError(err, 'REQUEST_FAILED') && err.status === 1)

  const all = await a.requestAll(null, 'echo', Buffer.from('x'), [bAddress, bAddress])
  assert.equal(all.length, 2)

  assert.ok(a.toArray().some((n) => n.port === bAddress.port), "b is in a's table")
  assert.ok(b.toArray().some((n) => n.port === a.address()!.port), "a is in b's table")
})

test('pings with more than 32 bytes get no reply', async (t) => {
  const testnet = await createTestnet(1)
  t.after(() => testnet.destroy())
  const [, node] = testnet.nodes as [DHT, DHT]
  const to = { host: LOOPBACK, port: node.address()!.port }
  const client = new DHT({ bootstrap: false, host: LOOPBACK })
  t.after(() => client.destroy())
  const small = await client.request(null, 'ping', Buffer.alloc(32, 1), to)
  assert.deepEqual(small.value, Buffer.alloc(32, 1))
  await assert.rejects(client.request(null, 'ping', Buffer.alloc(33, 1), to, { retry: false }), (err) => isIOError(err, 'REQUEST_TIMEOUT'))
})

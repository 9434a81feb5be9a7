import test from 'node:test'
import assert from 'node:assert/strict'
import { SimNetwork } from '@dht/sim'
import type { RemoteDatagram } from '@dht/sim'
import { listen } from './listen.js'

test('a network split in partitions: each owns every count-th address, and datagrams cross between them', async () => {
  const parts = [0, 1].map((index) => new SimNetwork({ latency: { min: 10, max: 50 }, partition: { index, count: 2, placementSeed: 7 } }))
  const [a, b] = parts as [SimNetwork, SimNetwork]
  const hostsA = [a.addHost(), a.addHost()]
  const hostsB = [b.addHost(), b.addHost()]
  assert.deepEqual([...hostsA, ...hostsB].map((h) => h.address), ['20.0.0.1', '20.0.0.3', '20.0.0.2', '20.0.0.4'])
  assert.throws(() => a.addHost('20.0.0.6'), /not one of partition 0's/)
  assert.equal(a.lookahead, 10)

  const ping = await listen(a, hostsA[0]!)
  const echo = await listen(b, hostsB[1]!)
  await b.clock.runBefore(a.clock.now()) // one time on both sides
  echo.socket.on('message', (data, from) => echo.socket.send(data, from.port, from.address))
  const start = a.clock.now()
  ping.socket.send(Buffer.from('hi'), echo.port, hostsB[1]!.address)
  // steps of the lookahead, trading datagrams between steps, as the threads of a split network do
  for (let end = start + a.lookahead; end <= start + 200; end += a.lookahead) {
    await Promise.all(parts.map((p) => p.clock.runBefore(end)))
    const fromA = a.takeOutbound()
    const fromB = b.takeOutbound()
    b.receiveRemote(fromA)
    a.receiveRemote(fromB)
  }
  const there = echo.got[0]!
  const back = ping.got[0]!
  assert.deepEqual(there.from, { address: '20.0.0.1', family: 'IPv4', port: ping.port, size: 2 })
  assert.equal(back.data, 'hi')
  const delay = there.at - start
  assert.ok(delay >= 10 && delay <= 50, `delay ${delay}`)
  assert.equal(back.at - start, 2 * delay, 'the same delay both ways: places follow from addresses')
  assert.deepEqual([a.stats.sent, b.stats.sent, a.stats.delivered, b.stats.delivered], [1, 1, 1, 1])
})

test('a partition refuses a datagram due before its time, and addresses nobody owns stay unroutable', async () => {
  const a = new SimNetwork({ partition: { index: 0, count: 2, placementSeed: 1 } })
  const b = new SimNetwork({ partition: { index: 1, count: 2, placementSeed: 1 } })
  const sender = await listen(a, a.addHost())
  sender.socket.send(Buffer.from('x'), 1, '203.0.113.9') // below 20.0.0.1: nobody's
  sender.socket.send(Buffer.from('x'), 1, '20.0.0.8') // partition 1's, but no such host
  const out: RemoteDatagram[] = a.takeOutbound()
  assert.equal(out.length, 1)
  assert.equal(a.stats.unroutable, 1)
  await b.clock.runBefore(out[0]!.at + 1)
  assert.throws(() => b.receiveRemote(out), /arrived at .* partitions ran too far apart/)
  assert.throws(() => new SimNetwork({ partition: { index: 2, count: 2, placementSeed: 1 } }), /partition.index must be/)
  assert.throws(() => new SimNetwork({ partition: { index: 0, count: 0, placementSeed: 1 } }), /partition.count must be/)
})

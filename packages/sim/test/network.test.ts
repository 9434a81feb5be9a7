import test from 'node:test'
import assert from 'node:assert/strict'
import { SimNetwork } from '@dht/sim'
import { hostOf, listen } from './listen.js'

test('delay grows with distance within [min, max]; a link can be set to its own delay and loss', async () => {
  const net = new SimNetwork({ latency: { min: 10, max: 50 } })
  const hosts = Array.from({ length: 20 }, () => net.addHost())
  const sink = await listen(net, hosts[0]!)
  const start = net.clock.now()
  for (const host of hosts.slice(1)) (await listen(net, host)).socket.send(Buffer.from(host.address), sink.port, hosts[0]!.address)
  await net.clock.run(1000)
  for (const m of sink.got) {
    assert.ok(m.at - start >= 10 && m.at - start <= 50, `delay ${m.at - start}`)
  }
  net.setLink(hosts[0]!.address, hosts[1]!.address, { latency: 200 })
  net.setLink(hosts[0]!.address, hosts[2]!.address, { loss: 1 })
  const one = await listen(net, hosts[1]!)
  const two = await listen(net, hosts[2]!)
  const sentAt = net.clock.now()
  one.socket.send(Buffer.from('slow'), sink.port, hosts[0]!.address)
  two.socket.send(Buffer.from('lost'), sink.port, hosts[0]!.address)
  await net.clock.run(1000)
  const slow = sink.got.find((m) => m.data === 'slow')!
  assert.equal(slow.at - sentAt, 200)
  assert.equal(sink.got.some((m) => m.data === 'lost'), false)
  assert.equal(net.stats.lost, 1)
})

test('network-wide loss drops about that share of datagrams, the same ones for the same seed', async () => {
  const run = async (): Promise<number> => {
    const net = new SimNetwork({ loss: 0.3 })
    const a = await listen(net, net.addHost())
    const b = await listen(net, net.addHost())
    for (let i = 0; i < 2000; i++) a.socket.send(Buffer.from('x'), b.port, hostOf(b))
    await net.clock.run(1000)
    return b.got.length
  }
  const first = await run()
  assert.ok(first > 1300 && first < 1500, `${first} of 2000 arrived`)
  assert.equal(await run(), first)
})

test('bad settings are refused with a clear error', () => {
  assert.throws(() => new SimNetwork({ loss: 2 }), /loss must be a probability/)
  assert.throws(() => new SimNetwork({ latency: { min: 10, max: 5 } }), /latency must have 0 <= min <= max/)
  const net = new SimNetwork()
  net.addHost('20.1.2.3')
  assert.throws(() => net.addHost('20.1.2.3'), /already taken/)
  assert.throws(() => net.addHost('not an address'), /dotted IPv4/)
})

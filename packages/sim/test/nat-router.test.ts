import test from 'node:test'
import assert from 'node:assert/strict'
import { SimNetwork } from '@dht/sim'
import { hostOf, listen } from './listen.js'

test('a port-preserving NAT sends every flow from the inside port at its public address', async () => {
  const net = new SimNetwork()
  const router = net.addRouter({ mapping: 'preserving' })
  const inside = await listen(net, router.addHost(), 40000)
  const a = await listen(net, net.addHost())
  const b = await listen(net, net.addHost())
  inside.socket.send(Buffer.from('1'), a.port, hostOf(a))
  inside.socket.send(Buffer.from('2'), b.port, hostOf(b))
  await net.clock.run(1000)
  assert.deepEqual([a.got[0]!.from, b.got[0]!.from], [
    { address: router.address, family: 'IPv4', port: 40000, size: 1 },
    { address: router.address, family: 'IPv4', port: 40000, size: 1 }
  ])
})

test('a randomizing NAT maps each destination to its own port; an incrementing one counts up', async () => {
  for (const mapping of ['random', 'incrementing'] as const) {
    const net = new SimNetwork()
    const router = net.addRouter({ mapping })
    const inside = await listen(net, router.addHost(), 40000)
    const outside = await Promise.all([0, 1, 2, 3].map(() => listen(net, net.addHost())))
    for (const o of outside) inside.socket.send(Buffer.from('x'), o.port, hostOf(o))
    await net.clock.run(1000)
    const ports = outside.map((o) => o.got[0]!.from.port)
    assert.equal(new Set(ports).size, 4, `${mapping}: four flows, four ports`)
    if (mapping === 'incrementing') assert.deepEqual(ports.map((p) => p - ports[0]!), [0, 1, 2, 3])
  }
})

test('an open NAT lets anyone reach a mapped port; a firewall only the addresses it sent to', async () => {
  for (const filtering of ['open', 'firewall'] as const) {
    const net = new SimNetwork()
    const router = net.addRouter({ filtering })
    const inside = await listen(net, router.addHost(), 40000)
    const contacted = await listen(net, net.addHost())
    const stranger = await listen(net, net.addHost())
    inside.socket.send(Buffer.from('hi'), contacted.port, hostOf(contacted))
    await net.clock.run(1000)
    const mapped = contacted.got[0]!.from
    contacted.socket.send(Buffer.from('reply'), mapped.port, mapped.address)
    stranger.socket.send(Buffer.from('unsolicited'), mapped.port, mapped.address)
    await net.clock.run(1000)
    const got = inside.got.map((m) => m.data).sort()
    assert.deepEqual(got, filtering === 'open' ? ['reply', 'unsolicited'] : ['reply'], filtering)
    if (filtering === 'firewall') assert.equal(net.stats.dropped, 1)
  }
})

test('nothing reaches a private address from outside, and an unknown address is unroutable', async () => {
  const net = new SimNetwork()
  const router = net.addRouter()
  const inside = await listen(net, router.addHost(), 40000)
  const outside = await listen(net, net.addHost())
  outside.socket.send(Buffer.from('x'), 40000, router.addHost().address)
  outside.socket.send(Buffer.from('x'), 40000, '203.0.113.9')
  await net.clock.run(1000)
  assert.equal(inside.got.length, 0)
  assert.equal(net.stats.unroutable, 2)
})

test('a renumbered router sends from its new address, forgets its mappings, and the old address is unroutable', async () => {
  const net = new SimNetwork()
  const router = net.addRouter({ mapping: 'preserving', address: '20.0.0.50' })
  const inside = await listen(net, router.addHost(), 40000)
  const outside = await listen(net, net.addHost())
  inside.socket.send(Buffer.from('before'), outside.port, hostOf(outside))
  await net.clock.run(1000)
  assert.equal(outside.got[0]!.from.address, '20.0.0.50')

  assert.equal(router.renumber('20.0.0.60'), '20.0.0.60')
  assert.equal(router.address, '20.0.0.60')
  assert.equal(router.mappings, 0, 'the flows are forgotten')
  // a reply through the old mapping, to the old address, goes nowhere
  outside.socket.send(Buffer.from('to the old address'), 40000, '20.0.0.50')
  await net.clock.run(1000)
  assert.equal(inside.got.length, 0)
  assert.equal(net.stats.unroutable, 1)

  inside.socket.send(Buffer.from('after'), outside.port, hostOf(outside))
  await net.clock.run(1000)
  assert.deepEqual(outside.got.map((m) => [m.data, m.from.address, m.from.port]), [['before', '20.0.0.50', 40000], ['after', '20.0.0.60', 40000]])
  outside.socket.send(Buffer.from('reply'), 40000, '20.0.0.60')
  await net.clock.run(1000)
  assert.deepEqual(inside.got.map((m) => m.data), ['reply'])

  assert.match(router.renumber(), /^20\.0\.0\.\d+$/, 'the next free address when none is given')
  assert.throws(() => router.renumber(hostOf(outside)), /already taken/)
})

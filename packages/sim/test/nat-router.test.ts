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

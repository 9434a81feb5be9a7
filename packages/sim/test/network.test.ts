import test from 'node:test'
import assert from 'node:assert/strict'
import type { RemoteInfo, UdpSocket } from '@dht/io'
import { ManualClock, SimNetwork } from '@dht/sim'
import type { RemoteDatagram, SimHost, SimSocket } from '@dht/sim'

interface Listener {
  socket: UdpSocket
  port: number
  got: Array<{ data: string, from: RemoteInfo, at: number }>
}

async function listen (net: SimNetwork, host: SimHost, port = 0): Promise<Listener> {
  const socket = host.createSocket()
  const got: Listener['got'] = []
  socket.on('message', (data, from) => got.push({ data: Buffer.from(data).toString(), from, at: net.clock.now() }))
  socket.bind(port)
  await net.clock.run(0)
  return { socket, port: socket.address().port, got }
}

test('a port-preserving NAT sends every flow from the inside port at its public address', async () => {
  const net = new SimNetwork()
  const router = net.addRouter({ mapping: 'preserving' })
  const inside = await listen(net, router.addHost(), 40000)
  const a = await listen(net, net.addHost())
  const b = await listen(net, net.addHost())
  inside.socket.send(Buffer.from('1'), a.port, hostOf(net, a))
  inside.socket.send(Buffer.from('2'), b.port, hostOf(net, b))
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
    for (const o of outside) inside.socket.send(Buffer.from('x'), o.port, hostOf(net, o))
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
    inside.socket.send(Buffer.from('hi'), contacted.port, hostOf(net, contacted))
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
    for (let i = 0; i < 2000; i++) a.socket.send(Buffer.from('x'), b.port, hostOf(net, b))
    await net.clock.run(1000)
    return b.got.length
  }
  const first = await run()
  assert.ok(first > 1300 && first < 1500, `${first} of 2000 arrived`)
  assert.equal(await run(), first)
})

test('runUntil fails clearly when nothing is left to run, or when the limit passes first', async () => {
  const clock = new ManualClock()
  await assert.rejects(clock.runUntil(new Promise(() => {})), /nothing left to run/)
  clock.setInterval(() => {}, 1000)
  await assert.rejects(clock.runUntil(new Promise(() => {}), 5000), /not settled after 5000 ms/)
  assert.equal(clock.now(), 5000)
})

test('promise callbacks run between instants: an await sees the time its event happened', async () => {
  const clock = new ManualClock()
  const seen: number[] = []
  const wait = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, ms))
  const task = (async () => {
    await wait(10)
    seen.push(clock.now())
    await wait(10)
    seen.push(clock.now())
  })()
  await clock.runUntil(task)
  assert.deepEqual(seen, [10, 20])
})

test('bad settings are refused with a clear error', () => {
  assert.throws(() => new SimNetwork({ loss: 2 }), /loss must be a probability/)
  assert.throws(() => new SimNetwork({ latency: { min: 10, max: 5 } }), /latency must have 0 <= min <= max/)
  const net = new SimNetwork()
  net.addHost('20.1.2.3')
  assert.throws(() => net.addHost('20.1.2.3'), /already taken/)
  assert.throws(() => net.addHost('not an address'), /dotted IPv4/)
})

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

function hostOf (net: SimNetwork, l: Listener): string {
  return (l.socket as SimSocket).host.address
}

import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import DHT, { isIOError } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { ManualClock } from '@dht/sim'
import { decode } from '@dht/wire'
import { LOOPBACK, silentPeer, until } from './helpers.js'

test('sampledNAT() resolves before ready()', async () => {
  const testnet = await createTestnet(5)
  const node = new DHT({ bootstrap: testnet.bootstrap, host: LOOPBACK })
  const order: string[] = []
  await Promise.all([
    node.sampledNAT().then((sampled) => order.push(`sampled:${String(sampled)}`)),
    node.ready().then(() => order.push('ready'))
  ])
  assert.deepEqual(order, ['sampled:true', 'ready'])
  await node.destroy()
  await testnet.destroy()
})

test('with ephemeral: false, remoteAddress() reports NAT_OPEN and the bound port after ready()', async () => {
  const testnet = await createTestnet(5)
  const node = new DHT({ ephemeral: false, bootstrap: testnet.bootstrap, host: LOOPBACK })
  const events: string[] = []
  node.on('persistent', () => events.push('persistent'))
  node.on('ready', () => events.push('ready'))
  node.on('bootstrap', () => events.push('bootstrap'))
  await node.ready()
  assert.deepEqual(events, ['persistent', 'ready', 'bootstrap'])
  const addr = node.remoteAddress()
  assert.equal(addr.type, DHT.NAT_OPEN)
  assert.equal(addr.host, LOOPBACK)
  assert.equal(addr.port, node.address()!.port)
  assert.deepEqual(node.id, DHT.id({ host: LOOPBACK, port: node.address()!.port }))
  assert.equal(node.ephemeral, false)
  await node.destroy()
  await testnet.destroy()
})

test('an adaptive node starts ephemeral: it sends no id and enters no table', async () => {
  const testnet = await createTestnet(3)
  const node = new DHT({ bootstrap: testnet.bootstrap, host: LOOPBACK })
  await node.ready()
  assert.equal(node.ephemeral, true)
  assert.equal(node.id, null)
  const port = node.address()!.port
  for (const other of testnet.nodes) assert.ok(!other.toArray().some((n) => n.port === port))
  assert.equal(node.remoteAddress().type, DHT.NAT_PORT_CONSISTENT)
  await node.destroy()
  await testnet.destroy()
})

test('a silent node costs exactly 4 sends', async () => {
  const clock = new ManualClock()
  const silent = await silentPeer()
  const node = new DHT({ bootstrap: false, host: LOOPBACK, clock })
  await node.ready()
  const result = node.ping(silent.peer)
  for (const [sends, wait] of [[1, 1000], [2, 1500], [3, 2250], [4, 3000]] as const) {
    await until(() => silent.received.length === sends)
    clock.advance(wait)
  }
  await assert.rejects(result, (err) => isIOError(err, 'REQUEST_TIMEOUT'))
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(silent.received.length, 4)
  assert.ok(silent.received.every((m) => decode(m).type === 'request'))
  await node.destroy()
  await silent.close()
})

test('bind falls back to a random port when the preferred one is taken', async () => {
  const taken = dgram.createSocket('udp4')
  taken.bind(0)
  await once(taken, 'listening')
  const port = taken.address().port
  const node = new DHT({ bootstrap: false, bind: port })
  const bound = await node.bind()
  assert.notEqual(bound, port)
  assert.equal(node.address()!.port, bound)
  await node.destroy()
  taken.close()
})

test('listening is emitted once the socket is bound', async () => {
  const node = new DHT({ bootstrap: false, host: LOOPBACK })
  const listening = once(node, 'listening')
  await node.bind()
  await listening
  await node.destroy()
})

test('addNode() and the nodes option fill the table, toArray() lists it', async () => {
  const node = new DHT({ bootstrap: false, nodes: [{ host: '10.0.0.1', port: 1000 }, { host: '10.0.0.2', port: 2000 }] })
  const added: number[] = []
  node.on('add-node', (n) => added.push(n.port))
  node.addNode({ host: '10.0.0.3', port: 3000 })
  node.addNode({ host: '10.0.0.3', port: 3000 })
  assert.deepEqual(added, [3000])
  assert.deepEqual(node.toArray().map((n) => n.port).sort(), [1000, 2000, 3000])
  assert.ok(node.toArray().every((n) => Object.keys(n).join() === 'host,port'))
  await node.destroy()
})

test('a clock jump is detected as a wake-up; an adaptive node turns ephemeral', async () => {
  const clock = new ManualClock(1_000_000)
  const node = new DHT({ bootstrap: false, host: LOOPBACK, clock })
  await node.ready()
  const events: string[] = []
  for (const name of ['wake-up', 'wakeup', 'ephemeral'] as const) node.on(name, () => events.push(name))
  clock.advance(5000)
  assert.deepEqual(events, [], 'a normal tick is no wake-up')
  clock.jump(60_000) // the laptop slept a minute
  clock.advance(5000)
  assert.deepEqual(events, ['wakeup', 'wake-up'])
  assert.equal(node.ephemeral, true)
  await node.destroy()
})

test('an adaptive node goes persistent after ~20 min of healthy uptime, and ephemeral again on wake-up', async () => {
  const testnet = await createTestnet(5)
  const clock = new ManualClock(1_000_000)
  const node = new DHT({ bootstrap: testnet.bootstrap, host: LOOPBACK, clock })
  await node.ready()
  assert.equal(node.ephemeral, true)
  const events: string[] = []
  for (const name of ['persistent', 'ephemeral', 'wake-up'] as const) node.on(name, () => events.push(name))
  let ticks = 0
  while (node.ephemeral && ticks < 300) {
    clock.advance(5000)
    ticks++
    await until(() => node.io.inflightRequests === 0) // let real replies arrive before time moves on
  }
  assert.equal(node.ephemeral, false)
  assert.ok(ticks >= 120 && ticks <= 240, `went persistent after ${ticks} ticks`)
  assert.equal(node.remoteAddress().type, DHT.NAT_OPEN)
  clock.jump(60_000)
  clock.advance(5000)
  assert.deepEqual(events, ['persistent', 'ephemeral', 'wake-up'])
  assert.equal(node.ephemeral, true)
  assert.equal(node.id, null)
  await node.destroy()
  await testnet.destroy()
})

test('a node with ephemeral: false stays persistent through a wake-up', async () => {
  const testnet = await createTestnet(3)
  const clock = new ManualClock(1_000_000)
  const node = new DHT({ ephemeral: false, bootstrap: testnet.bootstrap, host: LOOPBACK, clock })
  await node.ready()
  assert.equal(node.ephemeral, false)
  const events: string[] = []
  node.on('ephemeral', () => events.push('ephemeral'))
  node.on('wake-up', () => events.push('wake-up'))
  clock.jump(60_000)
  clock.advance(5000)
  assert.deepEqual(events, ['wake-up'])
  assert.equal(node.ephemeral, false)
  await node.destroy()
  await testnet.destroy()
})

test('the socket option: the node uses the given UDP socket', async () => {
  const socket = dgram.createSocket('udp4')
  socket.bind(0, LOOPBACK)
  await once(socket, 'listening')
  const port = socket.address().port
  const testnet = await createTestnet(2)
  const node = new DHT({ socket, bootstrap: testnet.bootstrap })
  await node.ready()
  assert.equal(node.address()!.port, port)
  const pong = await testnet.nodes[1]!.ping({ host: LOOPBACK, port })
  assert.equal(pong.status, 0)
  await node.destroy()
  assert.throws(() => socket.address(), 'destroy() closes the given socket too')
  await testnet.destroy()
})

test('nodes that stop answering leave the routing table through the periodic pings', async () => {
  const clock = new ManualClock(1_000_000)
  const dead = await Promise.all([silentPeer(), silentPeer(), silentPeer()])
  const node = new DHT({ bootstrap: false, host: LOOPBACK, clock })
  await node.ready()
  const removed: number[] = []
  node.on('remove-node', (n) => removed.push(n.port))
  for (const d of dead) node.addNode(d.peer)
  assert.equal(node.table.size, 3)
  // every 8 ticks the stalest nodes are pinged; a ping takes 4 sends to fail
  for (let ticks = 0; ticks < 40 && node.table.size > 0; ticks++) {
    clock.advance(5000)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  assert.equal(node.table.size, 0)
  assert.deepEqual(removed.sort(), dead.map((d) => d.peer.port).sort())
  assert.ok(dead.every((d) => d.received.length >= 4), 'each was pinged (4 sends) before removal')
  await node.destroy()
  await Promise.all(dead.map((d) => d.close()))
})

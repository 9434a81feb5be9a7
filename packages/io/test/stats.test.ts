import test from 'node:test'
import assert from 'node:assert/strict'
import { IO, IOCounters, MAX_COUNTED_COMMANDS, RttSamples, isIOError } from '@dht/io'
import type { IOOptions, IncomingRequest } from '@dht/io'
import { SimNetwork } from '@dht/sim'
import { encodeRequest } from '@dht/wire'
import type { Peer } from '@dht/wire'

function echo (req: IncomingRequest, io: IO): void {
  io.reply(req, { id: null, token: null, closerNodes: null, status: 0, value: req.value })
}

function message (to: Peer, command: string, value: Uint8Array | null = null): { to: Peer, id: null, token: null, target: null, command: string, value: Uint8Array | null } {
  return { to, id: null, token: null, target: null, command, value }
}

async function pair (net: SimNetwork, server: IOOptions = {}): Promise<{ client: IO, server: IO, to: Peer }> {
  const serverHost = net.addHost()
  const s = new IO({ createSocket: serverHost.createSocket, clock: net.clock, onrequest: echo, ...server })
  const port = await net.clock.runUntil(s.bind())
  const client = new IO({ createSocket: net.addHost().createSocket, clock: net.clock })
  await net.clock.runUntil(client.bind())
  return { client, server: s, to: { host: serverHost.address, port } }
}

test('io.stats counts each command on both sides: requests, replies and bytes, and sums them in the totals', async () => {
  const net = new SimNetwork({ latency: { min: 20, max: 20 } })
  const { client, server, to } = await pair(net)
  const value = Buffer.from('hello')
  for (let i = 0; i < 3; i++) await net.clock.runUntil(client.request(message(to, 'echo', value)))
  await net.clock.runUntil(client.request(message(to, 'ping')))

  const sent = client.stats.commands.get('echo')!
  assert.equal(sent.command, 'echo')
  assert.deepEqual([sent.requestsSent, sent.repliesReceived, sent.resends, sent.timeouts], [3, 3, 0, 0])
  const received = server.stats.commands.get('echo')!
  assert.deepEqual([received.requestsReceived, received.repliesSent], [3, 3])
  const request = encodeRequest({ tid: 0, ...message(to, 'echo', value) })
  assert.equal(sent.bytesOut, 3 * request.byteLength, 'every request datagram, counted at its send')
  assert.equal(received.bytesIn, sent.bytesOut, 'what one side sent is what the other received')
  assert.equal(sent.bytesIn, received.bytesOut)

  assert.equal(client.stats.requestsSent, 4, 'the totals are the sums over the commands')
  assert.equal(client.stats.repliesReceived, 4)
  assert.equal(server.stats.requestsReceived, 4)
  assert.equal(client.stats.bytesOut, sent.bytesOut + client.stats.commands.get('ping')!.bytesOut)
  assert.deepEqual([...client.stats.commands.keys()], ['echo', 'ping'], 'in the order first seen')

  assert.equal(client.stats.rtt.size, 4)
  assert.deepEqual(client.stats.rtt.percentiles([50, 99]), [40, 40], 'two 20 ms legs')
  await client.destroy()
  await server.destroy()
})

test('re-sends and timeouts are counted for the command that was not answered', async () => {
  const net = new SimNetwork()
  const silent = net.addHost()
  const client = new IO({ createSocket: net.addHost().createSocket, clock: net.clock })
  const failed = net.clock.runUntil(client.request(message({ host: silent.address, port: 9999 }, 'lost'))).catch((err: unknown) => err)
  assert.ok(isIOError(await failed, 'REQUEST_TIMEOUT'))
  const lost = client.stats.commands.get('lost')!
  assert.deepEqual([lost.requestsSent, lost.resends, lost.timeouts, lost.repliesReceived], [1, 3, 1, 0])
  assert.equal(client.stats.timeouts, 1)
  assert.equal(client.stats.rtt.size, 0, 'no reply, no round trip')
  await client.destroy()
})

test('a rate-limited request is counted for its command without being decoded, and an unknown one as other', async () => {
  const net = new SimNetwork()
  const { client, server, to } = await pair(net, { rateLimit: { requests: 1, per: 60_000, burst: 1 } })
  await net.clock.runUntil(client.request(message(to, 'echo')))
  // over the limit from here on: sent without re-sends, never answered
  for (const command of ['echo', 'echo', 'never-seen']) client.send(message(to, command), { retry: false, timeout: 100 }, { onreply () {}, onerror () {} })
  await net.clock.run(1000)
  const echoed = server.stats.commands.get('echo')!
  assert.equal(echoed.rateLimited, 2)
  assert.equal(echoed.requestsReceived, 1)
  assert.equal(server.stats.commands.has('never-seen'), false, 'a dropped request makes no counters')
  assert.equal(server.stats.other.rateLimited, 1)
  assert.equal(server.stats.rateLimited, 3)
  await client.destroy()
  await server.destroy()
})

test('at most MAX_COUNTED_COMMANDS commands get counters; the rest are summed in other', () => {
  const counters = new IOCounters()
  for (let i = 0; i < MAX_COUNTED_COMMANDS + 10; i++) counters.command(`c${i}`).requestsReceived++
  assert.equal(counters.commands.size, MAX_COUNTED_COMMANDS)
  assert.equal(counters.other.requestsReceived, 10)
  assert.equal(counters.other.command, null)
  assert.equal(counters.requestsReceived, MAX_COUNTED_COMMANDS + 10)
  assert.equal(counters.command('c0'), counters.command('c0'), 'one object per command, made once')
})

test('the round-trip ring keeps the latest samples and gives nearest-rank percentiles', () => {
  const ring = new RttSamples(4)
  assert.deepEqual(ring.percentiles([50]), [null])
  for (const ms of [100, 1, 2, 3, 4]) ring.add(ms) // 100 is overwritten
  assert.equal(ring.size, 4)
  assert.deepEqual(ring.percentiles([0, 50, 90, 100]), [1, 2, 4, 4])
})

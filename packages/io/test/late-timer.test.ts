import test from 'node:test'
import assert from 'node:assert/strict'
import { IO } from '@dht/io'
import type { IncomingRequest } from '@dht/io'
import { ManualClock, SimNetwork } from '@dht/sim'

const PING = { id: null, token: null, target: null, command: 'ping', value: null }

async function pair (): Promise<{ net: SimNetwork, client: IO, server: IO, requests: IncomingRequest[] }> {
  const net = new SimNetwork({ clock: new ManualClock(), latency: { min: 10, max: 10 } })
  const requests: IncomingRequest[] = []
  const server = new IO({ createSocket: net.addHost('20.0.0.1').createSocket, clock: net.clock, onrequest: (req) => requests.push(req) })
  const client = new IO({ createSocket: net.addHost('20.0.0.2').createSocket, clock: net.clock })
  await net.clock.runUntil(Promise.all([server.bind(1000), client.bind(1000)]))
  return { net, client, server, requests }
}

test('a re-send timer that fires late (a blocked event loop) waits once more instead of re-sending', async () => {
  const { net, client, server, requests } = await pair()
  const reply = client.request({ ...PING, to: { host: '20.0.0.1', port: 1000 } })
  await net.clock.run(20) // the request has arrived; the answer is held back below
  assert.equal(requests.length, 1)
  net.clock.jump(1500) // the loop was blocked past the 1000 ms re-send timer...
  await net.clock.run(1) // ...which fires 520 ms late
  assert.equal(client.stats.resends, 0, 'no re-send for a wait the loop never gave the peer')
  server.reply(requests[0]!, { id: null, token: null, closerNodes: null, status: 0, value: null })
  const got = await net.clock.runUntil(reply)
  assert.equal(got.status, 0)
  await Promise.all([client.destroy(), server.destroy()])
})

test('a timer on time still re-sends, and a late one is extended only once per send', async () => {
  const { net, client, server, requests } = await pair()
  const reply = client.request({ ...PING, to: { host: '20.0.0.1', port: 1000 } })
  reply.catch(() => {})
  await net.clock.run(1000 + 20)
  assert.equal(client.stats.resends, 1, 'on time: re-sent after the 1000 ms initial timeout')
  net.clock.jump(5000)
  await net.clock.run(1)
  assert.equal(client.stats.resends, 1, 'late: extended, not re-sent')
  await net.clock.run(1500)
  assert.equal(client.stats.resends, 2, 'the extension ran out: re-sent')
  await net.clock.run(20)
  assert.equal(server.stats.requestsReceived + server.stats.duplicates, 3, 'three sends arrived')
  assert.equal(requests.length, 1, 'the handler ran once')
  await Promise.all([client.destroy(), server.destroy()])
})

// Malformed, random and mutated datagrams over real UDP at a live node (persistent, in a
// small network, with a user command handler and no rate limit, so every datagram is read):
// nothing crashes or throws, memory stays bounded, and a normal peer's pings are answered
// during and after. DHT_FUZZ_DATAGRAMS sets the count (1000000 for the full run).
import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import v8 from 'node:v8'
import vm from 'node:vm'
import DHT from '@dht/rpc'
import type { UdpSocket } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { DEFAULT_TIMEOUT } from '@dht/io'
import { decode, encodeReply, isWireError } from '@dht/wire'
import { LOOPBACK, until } from '../helpers.js'
import { DatagramSource, KINDS } from './datagrams.js'
import type { Kind } from './datagrams.js'

const DATAGRAMS = Number(process.env['DHT_FUZZ_DATAGRAMS'] ?? 100_000)
const SENDERS = 4
const WINDOW = 128 // datagrams sent and not yet read by the node: well within its socket buffer
const STALL_MS = 20 // a datagram not read by then was lost on the way (or dropped for being 0 bytes)
const PING_EVERY = 10_000

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

function memory (): { heap: number, rss: number } {
  gc()
  gc()
  const m = process.memoryUsage()
  return { heap: m.heapUsed, rss: m.rss }
}

const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`

/** A real socket that drops sends off loopback: a fuzzed address is never sent to. */
function loopbackOnly (): UdpSocket {
  const socket = dgram.createSocket('udp4')
  const send = socket.send.bind(socket) as UdpSocket['send']
  const guarded: UdpSocket['send'] = (message, port, host, callback) => {
    if (host.startsWith('127.')) send(message, port, host, callback)
    else callback?.(null)
  }
  return Object.assign(socket, { send: guarded }) as UdpSocket
}

test(`${DATAGRAMS} malformed, random and mutated datagrams at a live node`, { timeout: Math.max(120_000, DATAGRAMS / 10) }, async (t) => {
  const testnet = await createTestnet(4)
  t.after(() => testnet.destroy())
  const node = new DHT({ ephemeral: false, bootstrap: testnet.bootstrap, host: LOOPBACK, rateLimit: false, createSocket: loopbackOnly })
  const client = new DHT({ bootstrap: false, host: LOOPBACK })
  t.after(() => Promise.all([node.destroy(), client.destroy()]))
  let wireWarnings = 0
  const otherWarnings: Error[] = []
  node.on('warning', (err) => {
    if (isWireError(err)) wireWarnings++
    else otherWarnings.push(err)
  })
  node.on('request', (req) => {
    if (req.command === 'echo') req.reply(req.value)
    else if (req.command === 'values') req.error(7, { token: false })
    // anything else: no reply
  })
  await node.ready()
  assert.equal(node.ephemeral, false)
  const to = { host: LOOPBACK, port: node.address()!.port }

  // the senders drain whatever comes back, and answer the node's own pings with mutated replies
  const source = new DatagramSource(20261124, to)
  const senders: dgram.Socket[] = []
  let repliesToFuzz = 0
  for (let i = 0; i < SENDERS; i++) {
    const socket = dgram.createSocket('udp4')
    socket.on('message', (m, rinfo) => {
      repliesToFuzz++
      let request
      try {
        request = decode(m)
      } catch {
        return
      }
      if (request.type !== 'request') return
      const reply = source.next().bytes.byteLength % 2 === 0
        ? encodeReply({ tid: request.tid, to, id: DHT.id({ host: LOOPBACK, port: socket.address().port }), token: null, closerNodes: null, status: 0, value: null })
        : Buffer.concat([Buffer.from([2, 0, request.tid & 0xff, request.tid >> 8]), source.next().bytes])
      socket.send(reply, rinfo.port, rinfo.address)
    })
    socket.bind(0, LOOPBACK)
    await once(socket, 'listening')
    senders.push(socket)
  }
  t.after(() => Promise.all(senders.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))))

  for (let i = 0; i < 1000; i++) source.next() // warm up before the first measure
  const before = memory()
  const sent = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>
  const pings: Array<Promise<number | Error>> = []
  let arrived = 0
  node.io.socket.on('message', () => { arrived++ })
  let unread = 0 // sent and not read by the node, and given up on
  const start = performance.now()
  for (let i = 0; i < DATAGRAMS; i++) {
    const { kind, bytes } = source.next()
    sent[kind]++
    senders[i % SENDERS]!.send(bytes, to.port, LOOPBACK)
    if (i + 1 - unread - arrived >= WINDOW) {
      const since = performance.now()
      while (i + 1 - unread - arrived > WINDOW / 2) {
        await new Promise((resolve) => setImmediate(resolve))
        if (performance.now() - since > STALL_MS) unread = i + 1 - arrived - WINDOW / 2
      }
    }
    if (i % PING_EVERY === 0) {
      pings.push(client.ping(to).then((r) => r.status, (err: Error) => err))
      node.ping({ host: LOOPBACK, port: senders[(i / PING_EVERY) % SENDERS]!.address().port }, { retry: false }).catch(() => {})
    }
  }
  const during = await Promise.all(pings)
  const seconds = (performance.now() - start) / 1000
  const after = await client.ping(to)
  await new Promise((resolve) => setTimeout(resolve, 200))
  const end = memory()

  const { stats } = node.io
  const read = stats.requestsReceived + stats.invalidDatagrams + stats.repliesReceived
  const statuses = during.map((r) => r instanceof Error ? r.message : r)
  t.diagnostic(`${DATAGRAMS} datagrams in ${seconds.toFixed(1)} s (${Math.round(DATAGRAMS / seconds)}/s) from ${SENDERS} sockets: ${Object.entries(sent).map(([k, n]) => `${k} ${n}`).join(', ')}`)
  t.diagnostic(`${arrived} reached the node, ${read} counted (${stats.requestsReceived} requests, ${stats.invalidDatagrams} invalid, ${stats.repliesReceived} replies), sent ${stats.repliesSent} replies; the senders got ${repliesToFuzz} datagrams`)
  t.diagnostic(`memory after gc: heap ${mb(before.heap)} -> ${mb(end.heap)}, rss ${mb(before.rss)} -> ${mb(end.rss)}; routing table ${node.table.size} nodes`)

  assert.deepEqual(statuses, during.map(() => 0), 'every ping during the fuzz was answered')
  assert.equal(during.length, Math.ceil(DATAGRAMS / PING_EVERY))
  assert.equal(after.status, 0, 'and a ping after it')
  assert.ok(stats.invalidDatagrams > 0 && stats.requestsReceived > 0)
  assert.ok(arrived >= DATAGRAMS * 0.9, `most datagrams reached the node (${arrived} of ${DATAGRAMS})`)
  assert.deepEqual(otherWarnings, [], 'every warning is a datagram that failed to decode')
  assert.equal(wireWarnings, stats.invalidDatagrams)
  assert.ok(end.heap - before.heap < 32 * 2 ** 20, `the heap grew by ${mb(end.heap - before.heap)}`)
  // the node's own requests (pings of the fake nodes the fuzz put in its table) all end, by
  // a reply or by their timeout: nothing is left in flight
  await until(() => node.io.inflightRequests === 0, DEFAULT_TIMEOUT + 4000)
})

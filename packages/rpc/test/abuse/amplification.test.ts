// Bytes in and bytes out for each built-in reply, from the cheapest request an attacker can
// send (no id), at a persistent node of ours and at a dht-rpc@5.0.0-rc.6 node, each with a
// full routing table. The figures go to the test's diagnostics; the assertions are the
// structural facts: the replies are the same size on both, a ping reply adds at most the
// node's id and a status, an oversized ping gets nothing, and only closerNodes (20 x 6
// bytes, at most) make a reply much larger than its request.
import test from 'node:test'
import assert from 'node:assert/strict'
import type { Peer } from '@dht/rpc'
import { createMixedNetwork, peerOf, refPeerOf } from '../interop/network.js'
import { RawPeer } from '../interop/raw.js'
import type { RefMessage } from '../interop/reference.js'

const TARGET = Buffer.alloc(32, 0x42)
const K = 20
const ID = 32
const STATUS = 1
const HEADER = 10 // version, flags, tid, to
const VALUE_NULL = 1

interface Case {
  name: string
  request: Partial<RefMessage> & { command: string }
  /** The largest reply allowed, from the request's size. */
  bound: (bytesIn: number) => number
}

const cases: Case[] = [
  { name: 'ping', request: { command: 'ping' }, bound: (n) => n + ID + STATUS },
  { name: 'ping, 32-byte value', request: { command: 'ping', value: Buffer.alloc(32, 1) }, bound: (n) => n + ID + STATUS },
  { name: 'ping, 33-byte value', request: { command: 'ping', value: Buffer.alloc(33, 1) }, bound: () => 0 },
  { name: 'ping, 1200-byte value', request: { command: 'ping', value: Buffer.alloc(1200, 1) }, bound: () => 0 },
  { name: 'ping_nat', request: { command: 'ping_nat' }, bound: (n) => n + STATUS },
  { name: 'find_node, 20 closer nodes', request: { command: 'find_node', target: TARGET }, bound: (n) => n + ID + STATUS + 1 + K * 6 },
  { name: 'unknown command "x" with target', request: { command: 'x', target: TARGET }, bound: (n) => n + ID + STATUS + 1 + K * 6 },
  { name: 'unknown command "x", no target', request: { command: 'x' }, bound: (n) => n + ID + STATUS }
]

/** Sends `request` and sums the bytes of every datagram that answers it (none: 0). */
async function bytesOut (raw: RawPeer, to: Peer, tid: number, request: Case['request']): Promise<{ bytesIn: number, bytesOut: number }> {
  const sent = await raw.send({ tid, to, ...request })
  // a ping after it: once its reply is in, any reply to the request would be too
  await raw.send({ tid: tid + 1, to, command: 'ping' })
  await raw.next((m) => m.tid === tid + 1)
  let total = 0
  for (const r of raw.received.splice(0)) {
    assert.equal(r.bytes[2]! | (r.bytes[3]! << 8), tid, 'nothing else arrived')
    total += r.bytes.byteLength
  }
  return { bytesIn: sent.byteLength, bytesOut: total }
}

test('the byte amplification of each built-in reply, ours and dht-rpc@5.0.0-rc.6', async (t) => {
  const net = await createMixedNetwork({ ours: 1, refs: 1 })
  const raw = await RawPeer.create()
  t.after(() => Promise.all([net.destroy(), raw.close()]))
  const ours = net.ours[0]!
  const ref = net.refs[0]!
  for (let i = 1; i <= 40; i++) { // unreachable loopback addresses: nothing leaves the machine
    ours.addNode({ host: `127.0.1.${i}`, port: 1000 + i })
    ref.addNode({ host: `127.0.1.${i}`, port: 1000 + i })
  }

  const rows: string[] = []
  let tid = 1
  for (const c of cases) {
    const a = await bytesOut(raw, peerOf(ours), tid, c.request)
    const b = await bytesOut(raw, refPeerOf(ref), tid + 2, c.request)
    tid += 4
    assert.equal(a.bytesIn, b.bytesIn)
    assert.equal(a.bytesOut, b.bytesOut, `${c.name}: the same reply size as rc.6`)
    assert.ok(a.bytesOut <= c.bound(a.bytesIn), `${c.name}: ${a.bytesOut} bytes out for ${a.bytesIn} in`)
    if (c.request.target !== undefined) assert.equal(a.bytesOut, HEADER + ID + 1 + K * 6 + STATUS + VALUE_NULL, `${c.name}: a full closerNodes list`)
    const factor = (n: number): string => (n / a.bytesIn).toFixed(2) + 'x'
    rows.push(`| ${c.name} | ${a.bytesIn} | ${a.bytesOut} (${factor(a.bytesOut)}) | ${b.bytesOut} (${factor(b.bytesOut)}) |`)
  }
  for (const row of ['| request (no id) | bytes in | ours: bytes out | rc.6: bytes out |', '|---|---|---|---|', ...rows]) t.diagnostic(row)
})

/**
 * Codec throughput: encode+decode of a find_node request and of a reply with 20 closer
 * nodes and a token, @dht/wire and dht-rpc@5.0.0-rc.6 alternating in the same run.
 *
 *   node tools/bench/dist/wire.js [--rounds 7] [--ms 300] [--json]
 */
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'
import cenc from 'compact-encoding'
import type { Codec } from 'compact-encoding'
import { decode, encodeReply, encodeRequest, id } from '@dht/wire'
import type { Reply, Request } from '@dht/wire'

interface ReferenceMessage {
  version: number, tid: number, from: null, to: { host: string, port: number },
  id: Uint8Array | null, token: Uint8Array | null, target: Uint8Array | null,
  closerNodes: Array<{ host: string, port: number }> | null, command: string | null,
  status: number, value: Uint8Array | null
}

const require = createRequire(import.meta.url)
const reference = require('dht-rpc/lib/messages.js') as { message: Codec<ReferenceMessage> }

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    ms: { type: 'string', default: '300' },
    json: { type: 'boolean', default: false }
  }
})
const rounds = Number(args.rounds)
const ms = Number(args.ms)

const closerNodes = Array.from({ length: 20 }, (_, i) => ({ host: `10.${i}.${(i * 37) % 256}.${(i * 91) % 256}`, port: 1024 + i * 997 }))
const to = { host: '192.168.1.23', port: 49737 }
const findNode: Request = {
  tid: 4242, to, id: id('203.0.113.7', 5000), token: null, target: id('198.51.100.1', 1), command: 'find_node', value: null
}
const closerReply: Reply = {
  tid: 4242, to, id: id('203.0.113.7', 5000), token: id('0.0.0.0', 0), closerNodes, status: 0, value: null
}

const asReference = (m: Request | Reply): ReferenceMessage => ({
  version: 2,
  tid: m.tid,
  from: null,
  to: m.to,
  id: m.id,
  token: m.token,
  target: 'target' in m ? m.target : null,
  closerNodes: 'closerNodes' in m && m.closerNodes !== null ? [...m.closerNodes] : null,
  command: 'command' in m ? m.command : null,
  status: 'status' in m ? m.status : 0,
  value: m.value
})

type Job = () => unknown
const cases: Array<{ name: string, ours: Job, reference: Job }> = [
  {
    name: 'find_node request',
    ours: () => decode(encodeRequest(findNode)),
    reference: ((m) => () => cenc.decode(reference.message, cenc.encode(reference.message, m)))(asReference(findNode))
  },
  {
    name: 'reply, 20 nodes + token',
    ours: () => decode(encodeReply(closerReply)),
    reference: ((m) => () => cenc.decode(reference.message, cenc.encode(reference.message, m)))(asReference(closerReply))
  }
]

let sink: unknown = null
function opsPerSecond (job: Job): number {
  const end = performance.now() + ms
  let ops = 0
  let now = performance.now()
  while (now < end) {
    for (let i = 0; i < 1000; i++) sink = job()
    ops += 1000
    now = performance.now()
  }
  return ops / ((now - end + ms) / 1000)
}

function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1]!
}

const results = cases.map(({ name, ours, reference }) => {
  opsPerSecond(ours) // warm up both before measuring
  opsPerSecond(reference)
  const o: number[] = []
  const r: number[] = []
  for (let i = 0; i < rounds; i++) {
    o.push(opsPerSecond(ours))
    r.push(opsPerSecond(reference))
  }
  return { name, ours: Math.round(median(o)), reference: Math.round(median(r)), ratio: median(o) / median(r) }
})
if (sink === null) throw new Error('benchmark produced nothing')

if (args.json) {
  console.log(JSON.stringify({ node: process.version, rounds, ms, results }, null, 2))
} else {
  console.log(`encode+decode per second, median of ${rounds} alternating rounds of ${ms} ms (node ${process.version})`)
  console.log('message'.padEnd(26) + '@dht/wire'.padStart(12) + 'dht-rpc rc.6'.padStart(14) + 'ratio'.padStart(8))
  for (const r of results) {
    console.log(r.name.padEnd(26) + r.ours.toLocaleString('en-US').padStart(12) + r.reference.toLocaleString('en-US').padStart(14) + (r.ratio.toFixed(2) + 'x').padStart(8))
  }
}

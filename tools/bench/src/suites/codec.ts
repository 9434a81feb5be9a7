import { createRequire } from 'node:module'
import cenc from 'compact-encoding'
import type { Codec } from 'compact-encoding'
import { Intern, decode, encodeReply, encodeRequest, id } from '@dht/wire'
import type { Reply, Request } from '@dht/wire'
import type { ImplKey } from '../adapters/types.js'
import type { Config } from '../config.js'
import { median } from '../stats.js'

/**
 * Encode + decode of two messages: a find_node request, and a reply with 20 closer nodes and
 * a token (what every lookup step receives).
 *
 * - ours: @dht/wire's encodeRequest / encodeReply and decode, through an Intern as a node
 *   uses them. One message decoded over and over finds its peers and command in the intern
 *   every time, where a node's real traffic finds fewer there: this is the codec at its best,
 *   as the others' fixed message is theirs;
 * - rc.6: its lib/messages.js codec (compact-encoding), as its RPC layer calls it;
 * - v6 (another wire format): its own encoder (Request#_encodeRequest, Request#_sendReply)
 *   and decoder (IO#onmessage with nothing in flight), driven through a stub IO with a fixed
 *   token and routing table. Its decoder also checks the sender's id (one BLAKE2b hash per
 *   message that carries an id, as both of these do), which the other two leave to their
 *   callers: part of its receive path, but not of a pure codec.
 */
export const CODEC_CASES = ['findNodeRequest', 'reply20'] as const
export type CodecCase = typeof CODEC_CASES[number]
export const CODEC_LABELS: Record<CodecCase, string> = {
  findNodeRequest: 'find_node request',
  reply20: 'reply, 20 nodes + token'
}

export interface CodecRun {
  /** Median encode+decode per second over the rounds, per implementation and case. */
  opsPerSecond: Record<ImplKey, Record<CodecCase, number | null>>
  rounds: number
  ms: number
}

const require = createRequire(import.meta.url)

const closerNodes = Array.from({ length: 20 }, (_, i) => ({ host: `10.${i}.${(i * 37) % 256}.${(i * 91) % 256}`, port: 1024 + i * 997 }))
const to = { host: '192.168.1.23', port: 49737 }
const from = { host: '203.0.113.7', port: 5000 }
const senderId = id(from.host, from.port)
const target = id('198.51.100.1', 1)
const token = id('0.0.0.0', 0)

type Job = () => unknown

function oursJobs (): Record<CodecCase, Job> {
  const findNode: Request = { tid: 4242, to, id: senderId, token: null, target, command: 'find_node', value: null }
  const reply: Reply = { tid: 4242, to, id: senderId, token, closerNodes, status: 0, value: null }
  const intern = new Intern()
  return {
    findNodeRequest: () => decode(encodeRequest(findNode, intern), intern),
    reply20: () => decode(encodeReply(reply), intern)
  }
}

interface Rc6Message {
  version: number, tid: number, from: null, to: { host: string, port: number },
  id: Uint8Array | null, token: Uint8Array | null, target: Uint8Array | null,
  closerNodes: Array<{ host: string, port: number }> | null, command: string | null,
  status: number, value: Uint8Array | null
}

function rc6Jobs (): Record<CodecCase, Job> {
  const { message } = require('dht-rpc/lib/messages.js') as { message: Codec<Rc6Message> }
  const findNode: Rc6Message = { version: 2, tid: 4242, from: null, to, id: senderId, token: null, target, closerNodes: null, command: 'find_node', status: 0, value: null }
  const reply: Rc6Message = { version: 2, tid: 4242, from: null, to, id: senderId, token, target: null, closerNodes, command: null, status: 0, value: null }
  return {
    findNodeRequest: () => cenc.decode(message, cenc.encode(message, findNode)),
    reply20: () => cenc.decode(message, cenc.encode(message, reply))
  }
}

interface V6Request {
  tid: number
  target: Uint8Array | null
  _encodeRequest (token: Uint8Array | null, value: Uint8Array | null, to: unknown, socket: unknown): Uint8Array
  _sendReply (error: number, value: Uint8Array | null, token: boolean, hasCloserNodes: boolean, to: unknown, socket: unknown): void
}
interface V6IO {
  ephemeral: boolean
  serverSocket: unknown
  clientSocket: unknown
  inflight: unknown[]
  token: (addr: unknown, i: number) => Uint8Array
  createRequest (to: unknown, token: null, internal: boolean, command: number, target: Uint8Array | null, value: null, session: null, ttl: number): V6Request
  onmessage (socket: unknown, buffer: Uint8Array, rinfo: { host: string, port: number }): void
}
type V6IOClass = new (table: unknown, udx: unknown, opts: object) => V6IO

function v6Jobs (): Record<CodecCase, Job> {
  const IO = require('dht-rpc-v6/lib/io.js') as V6IOClass
  const FIND_NODE = 2
  let sent: Uint8Array | null = null
  const socket = { trySend (buf: Uint8Array) { sent = buf } }
  const udx = { watchNetworkInterfaces: () => ({ on () {}, destroy () {} }) }
  const table = { id: senderId, closest: () => closerNodes }
  const io = new IO(table, udx, { firewalled: false, onrequest () {} })
  io.ephemeral = false
  io.serverSocket = socket
  io.clientSocket = socket
  io.token = () => token
  const req = io.createRequest({ id: null, ...to }, null, true, FIND_NODE, target, null, null, 0)
  io.inflight.length = 0 // nothing in flight: decoding a reply matches no request
  req.tid = 4242
  const rinfo = { host: from.host, port: from.port }
  return {
    findNodeRequest: () => {
      const buf = req._encodeRequest(null, null, to, socket)
      io.onmessage(socket, buf, rinfo)
      return buf
    },
    reply20: () => {
      req._sendReply(0, null, true, true, to, socket)
      io.onmessage(socket, sent!, rinfo)
      return sent
    }
  }
}

let sink: unknown = null

function opsPerSecond (job: Job, ms: number): number {
  const end = performance.now() + ms
  let ops = 0
  let t = performance.now()
  while (t < end) {
    for (let i = 0; i < 1000; i++) sink = job()
    ops += 1000
    t = performance.now()
  }
  return ops / ((t - end + ms) / 1000)
}

/** Rounds alternate the implementations (rotated order each round); medians over rounds. */
export function runCodec (order: ImplKey[], config: Config): CodecRun {
  const { rounds, ms } = config.codec
  const jobs: Record<ImplKey, Record<CodecCase, Job> | null> = { ours: oursJobs(), rc6: rc6Jobs(), v6: null }
  try {
    jobs.v6 = v6Jobs()
    for (const c of CODEC_CASES) jobs.v6[c]()
  } catch {
    jobs.v6 = null // its internals moved: no figure rather than a wrong one
  }
  const samples = Object.fromEntries(order.map((k) => [k, Object.fromEntries(CODEC_CASES.map((c) => [c, [] as number[]]))])) as Record<ImplKey, Record<CodecCase, number[]>>
  for (const c of CODEC_CASES) {
    for (const k of order) { const j = jobs[k]; if (j !== null) opsPerSecond(j[c], ms) } // warm up
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < order.length; i++) {
        const k = order[(i + r) % order.length]!
        const j = jobs[k]
        if (j !== null) samples[k][c].push(opsPerSecond(j[c], ms))
      }
    }
  }
  if (sink === null) throw new Error('the codec benchmark produced nothing')
  const opsPerSecondOf = (k: ImplKey): Record<CodecCase, number | null> =>
    Object.fromEntries(CODEC_CASES.map((c) => [c, median(samples[k]?.[c] ?? [])])) as Record<CodecCase, number | null>
  return { opsPerSecond: { ours: opsPerSecondOf('ours'), rc6: opsPerSecondOf('rc6'), v6: opsPerSecondOf('v6') }, rounds, ms }
}

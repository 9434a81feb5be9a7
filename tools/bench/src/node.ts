/**
 * Whole-node benchmarks on networks of persistent nodes on 127.0.0.1, in one process,
 * @dht/rpc and dht-rpc@5.0.0-rc.6 alternating in the same run (one network each):
 *
 * 1. lookups: one node keeps C find_node lookups of random targets running (a finished
 *    one is replaced at once): lookups per second, p50/p99 lookup latency;
 * 2. pings: one node sends N pings at once to random nodes, in waves: requests per second,
 *    p99/max latency (the stragglers);
 * 3. churn: 30% of the nodes destroyed at once, then lookups of live nodes' ids from a
 *    survivor, one after another: target found, time to the target's reply, time to the end.
 *
 *   node tools/bench/dist/node.js [--quick] [--json] [--repeats 3] [--only lookups,pings,churn]
 *
 * Every run is bounded by a count and a wall-clock cap (a capped run reports what it got and
 * is marked `capped`). After a run the node waits (bounded) until its requests are settled and
 * rests 3 s before its next run, while the other implementation runs. Every node is destroyed
 * at the end and the process exits by itself. `--quick` is a small smoke version (~25 s).
 */
import { randomBytes } from 'node:crypto'
import dgram from 'node:dgram'
import { createRequire } from 'node:module'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { createTestnet } from '@dht/rpc/testnet'
import type { DHT } from '@dht/rpc'

const HOST = '127.0.0.1' // every socket binds here and every datagram goes here
const JOIN_PARALLEL = 8 // nodes joining at once while a network is built, as createTestnet
// longest wait for the asker's requests to drain before the next run: a capped dht-rpc run
// leaves ~C x 20 requests queued, sent 80 per 750 ms slot
const SETTLE_CAP_MS = 60_000
// a node rests this long between two runs, so its politeness window (four 750 ms slots) no
// longer counts the sends of the previous run; the other implementation runs meanwhile
const REST_MS = 3_000
const EXIT_GRACE_MS = 5_000 // after the last node is destroyed, anything still open is a leak

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    repeats: { type: 'string' },
    only: { type: 'string', default: 'lookups,pings,churn' }
  }
})
const only = new Set(args.only.split(','))

const quick = args.quick
const config = quick
  ? {
      repeats: Number(args.repeats ?? 1),
      size: 40,
      concurrency: [8],
      lookups: 100,
      lookupCapMs: 5_000,
      pings: [64],
      pingsPerRun: 256,
      pingCapMs: 5_000,
      churnSize: 60,
      churnLookups: 3,
      churnCapMs: 3_000
    }
  : {
      repeats: Number(args.repeats ?? 3),
      size: 100,
      concurrency: [1, 8, 32, 128],
      lookups: 200,
      lookupCapMs: 30_000,
      pings: [16, 64, 256],
      pingsPerRun: 4096, // a run of 1024 lasts ~0.1 s: one GC pause or timer tick moves it by half
      pingCapMs: 20_000,
      churnSize: 200,
      churnLookups: 20,
      churnCapMs: 30_000
    }
const CHURN_FRACTION = 0.3

interface Peer { host: string, port: number }
interface Reply { from: Peer }

/** A lookup stream, as both implementations return it from `query()`. */
interface Lookup {
  on (event: 'data', fn: (reply: Reply) => void): unknown
  finished (): Promise<void>
  destroy (err?: Error): void
}

/** What the benchmark does with a node of either implementation. */
interface Node {
  peer: Peer
  id: Uint8Array
  lookup (target: Uint8Array): Lookup
  ping (to: Peer): Promise<unknown>
  /** Requests sent and not yet settled. */
  inflight (): number
  destroy (): Promise<void>
}

interface Network {
  name: string
  nodes: Node[]
  destroy (): Promise<void>
}

const OURS = '@dht/rpc'
const REFERENCE = 'dht-rpc rc.6'

// --- the two implementations behind one shape ---

async function oursNetwork (size: number): Promise<Network> {
  const testnet = await createTestnet(size, { host: HOST, parallel: JOIN_PARALLEL })
  const nodes = testnet.nodes.slice(1).map((dht: DHT): Node => {
    const addr = dht.address()
    if (addr === null || dht.id === null) throw new Error('@dht/rpc: a testnet node is not bound or not persistent')
    return {
      peer: { host: HOST, port: addr.port },
      id: dht.id,
      lookup: (target) => dht.query(target, 'find_node', null),
      ping: (to) => dht.ping(to),
      inflight: () => dht.io.inflightRequests,
      destroy: () => dht.destroy()
    }
  })
  return { name: OURS, nodes, destroy: () => testnet.destroy() }
}

interface ReferenceDHT {
  readonly id: Uint8Array | null
  readonly rpc: { inflightRequests: number }
  ready (): Promise<void>
  bind (port?: number): Promise<number>
  address (): { port: number }
  query (target: Uint8Array, command: string, value: null): Lookup
  ping (to: Peer): Promise<unknown>
  destroy (): void
}
type ReferenceDHTClass = new (opts: { bootstrap: string[], ephemeral: boolean, socket: dgram.Socket }) => ReferenceDHT
const ReferenceDHT = createRequire(import.meta.url)('dht-rpc') as ReferenceDHTClass

// dht-rpc rc.6 binds its socket to every interface; this one binds to loopback instead
function loopbackSocket (): dgram.Socket {
  const socket = dgram.createSocket('udp4')
  const bind = socket.bind.bind(socket) as (port: number, address: string) => dgram.Socket
  socket.bind = ((port: number) => bind(port, HOST)) as typeof socket.bind
  return socket
}

async function referenceNetwork (size: number): Promise<Network> {
  const all: ReferenceDHT[] = []
  const destroy = async (): Promise<void> => {
    for (let i = all.length - 1; i >= 0; i--) all[i]!.destroy()
  }
  try {
    const first = new ReferenceDHT({ bootstrap: [], ephemeral: true, socket: loopbackSocket() })
    all.push(first)
    const bootstrap = [`${HOST}:${await first.bind(0)}`]
    const nodes: Node[] = []
    const join = async (): Promise<void> => {
      const dht = new ReferenceDHT({ bootstrap, ephemeral: false, socket: loopbackSocket() })
      all.push(dht)
      await dht.ready()
      if (dht.id === null) throw new Error('dht-rpc: a node did not become persistent')
      nodes.push({
        peer: { host: HOST, port: dht.address().port },
        id: dht.id,
        lookup: (target) => dht.query(target, 'find_node', null),
        ping: (to) => dht.ping(to),
        inflight: () => dht.rpc.inflightRequests,
        destroy: async () => dht.destroy()
      })
    }
    for (let joined = 0; joined < size; joined += JOIN_PARALLEL) {
      await Promise.all(Array.from({ length: Math.min(JOIN_PARALLEL, size - joined) }, join))
    }
    return { name: REFERENCE, nodes, destroy }
  } catch (err) {
    await destroy()
    throw err
  }
}

// --- helpers ---

const now = (): number => performance.now()
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function percentile (xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
}

function median (xs: ReadonlyArray<number | null>): number | null {
  const s = xs.filter((x): x is number => x !== null).sort((a, b) => a - b)
  if (s.length === 0) return null
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

function pick<T> (xs: readonly T[]): T {
  return xs[Math.floor(Math.random() * xs.length)]!
}

function shuffled<T> (xs: readonly T[]): T[] {
  const s = [...xs]
  for (let i = s.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[s[i], s[j]] = [s[j]!, s[i]!]
  }
  return s
}

// waits until the node has nothing in flight (bounded), so one run does not slow the next
async function drain (node: Node): Promise<Drained> {
  const start = now()
  while (node.inflight() > 0 && now() < start + SETTLE_CAP_MS) await sleep(20)
  return { drainMs: now() - start, leftAfterDrain: node.inflight() }
}

interface Drained {
  /** How long the asker took to have nothing in flight after the run. */
  drainMs: number
  /** Still in flight after {@link SETTLE_CAP_MS}: more than 0 is a leak or a jam. */
  leftAfterDrain: number
}

// the two implementations in turn, the first one alternating from round to round
function order<T> (pair: readonly [T, T], round: number): [T, T] {
  return round % 2 === 0 ? [pair[0], pair[1]] : [pair[1], pair[0]]
}

// --- 1. concurrent lookups ---

// lookups in a run: the configured number, and 8 per concurrent one so that a run at high
// concurrency lasts several politeness slots (750 ms) and shows the steady state
const lookupsPerRun = (c: number): number => Math.max(config.lookups, 8 * c)

interface LookupRun {
  concurrency: number
  completed: number
  errors: number
  seconds: number
  lookupsPerSecond: number
  p50: number | null
  p99: number | null
  capped: boolean
  /** The asker's requests still in flight when the run was over (then drained before the next run). */
  leftInflight: number
}

function lookupRun (node: Node, concurrency: number, total: number, capMs: number): Promise<LookupRun> {
  return new Promise((resolve) => {
    const latencies: number[] = []
    const live = new Set<Lookup>()
    const start = now()
    let started = 0
    let running = 0
    let errors = 0
    let capped = false
    let last = start
    const done = (): void => {
      clearTimeout(timer)
      const seconds = ((capped ? now() : last) - start) / 1000
      resolve({
        concurrency,
        completed: latencies.length,
        errors,
        seconds,
        lookupsPerSecond: latencies.length / seconds,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        capped,
        leftInflight: node.inflight()
      })
    }
    const timer = setTimeout(() => {
      capped = true
      for (const q of live) q.destroy()
    }, capMs)
    const launch = (): void => {
      while (running < concurrency && started < total && !capped) {
        started++
        running++
        const t = now()
        const q = node.lookup(randomBytes(32))
        live.add(q)
        q.finished().then(() => {
          if (capped) return
          last = now()
          latencies.push(last - t)
        }, () => { errors++ }).finally(() => {
          live.delete(q)
          running--
          if (running === 0 && (capped || started >= total)) done()
          else launch()
        })
      }
    }
    launch()
  })
}

// --- 2. concurrent pings in waves ---

// waves of n pings in a run: about pingsPerRun pings, and at least 4 waves
const waves = (n: number): number => Math.max(4, Math.ceil(config.pingsPerRun / n))

interface PingRun {
  concurrency: number
  ok: number
  failed: number
  waves: number
  seconds: number
  requestsPerSecond: number
  p50: number | null
  p99: number | null
  max: number | null
  capped: boolean
  leftInflight: number
}

async function pingRun (net: Network, asker: Node, n: number, waves: number, capMs: number): Promise<PingRun> {
  const others = net.nodes.filter((node) => node !== asker)
  const latencies: number[] = []
  const deadline = now() + capMs
  let failed = 0
  let busy = 0
  let done = 0
  let capped = false
  for (let w = 0; w < waves; w++) {
    const remaining = deadline - now()
    if (remaining <= 0) {
      capped = true
      break
    }
    const t0 = now()
    let timer: NodeJS.Timeout | undefined
    const wave = Promise.all(Array.from({ length: n }, () => {
      const t = now()
      return asker.ping(pick(others).peer).then(() => { latencies.push(now() - t) }, () => { failed++ })
    }))
    const outcome = await Promise.race([wave, new Promise<'capped'>((resolve) => { timer = setTimeout(() => resolve('capped'), remaining) })])
    clearTimeout(timer)
    busy += now() - t0
    done++
    if (outcome === 'capped') {
      capped = true
      break
    }
  }
  const seconds = busy / 1000
  return {
    concurrency: n,
    ok: latencies.length,
    failed,
    waves: done,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: percentile(latencies, 1),
    capped,
    leftInflight: asker.inflight()
  }
}

// --- 3. lookups after churn ---

interface ChurnLookup {
  found: boolean
  /** ms from the start of the lookup to the target's own reply, null when it never came. */
  targetReply: number | null
  /** ms from the start of the lookup to its end (to the cap when capped). */
  finished: number
  capped: boolean
}

function churnLookup (asker: Node, target: Node, capMs: number): Promise<ChurnLookup> {
  return new Promise((resolve) => {
    const t = now()
    let targetReply: number | null = null
    let capped = false
    const q = asker.lookup(target.id)
    q.on('data', (reply) => {
      if (targetReply === null && reply.from.port === target.peer.port && reply.from.host === target.peer.host) targetReply = now() - t
    })
    const timer = setTimeout(() => {
      capped = true
      q.destroy()
    }, capMs)
    const end = (): void => {
      clearTimeout(timer)
      resolve({ found: targetReply !== null, targetReply, finished: now() - t, capped })
    }
    q.finished().then(end, end)
  })
}

interface ChurnResult {
  size: number
  destroyed: number
  lookups: ChurnLookup[]
  successRate: number
  targetReply: { p50: number | null, p99: number | null, max: number | null }
  finished: { p50: number | null, p99: number | null, max: number | null }
  capped: number
}

function summarizeChurn (size: number, destroyed: number, lookups: ChurnLookup[]): ChurnResult {
  const replies = lookups.map((l) => l.targetReply).filter((x): x is number => x !== null)
  const finished = lookups.map((l) => l.finished)
  return {
    size,
    destroyed,
    lookups,
    successRate: lookups.filter((l) => l.found).length / lookups.length,
    targetReply: { p50: percentile(replies, 0.5), p99: percentile(replies, 0.99), max: percentile(replies, 1) },
    finished: { p50: percentile(finished, 0.5), p99: percentile(finished, 0.99), max: percentile(finished, 1) },
    capped: lookups.filter((l) => l.capped).length
  }
}

// --- the run ---

function log (line: string): void {
  if (!args.json) process.stderr.write(line + '\n')
}

async function withNetworks<T> (size: number, fn: (nets: [Network, Network]) => Promise<T>): Promise<T> {
  const built: Network[] = []
  try {
    for (const build of [oursNetwork, referenceNetwork]) {
      const t = now()
      const net = await build(size)
      built.push(net)
      log(`  built ${net.name} network of ${size} nodes in ${((now() - t) / 1000).toFixed(1)} s`)
    }
    return await fn([built[0]!, built[1]!])
  } finally {
    for (const net of built) await net.destroy()
  }
}

interface Summary<R> { ours: Array<R & Drained>, reference: Array<R & Drained> }

// sections 1 and 2 on one pair of networks, implementations and sizes interleaved
async function lookupsAndPings (): Promise<{ lookups: Map<number, Summary<LookupRun>>, pings: Map<number, Summary<PingRun>> }> {
  const lookups = new Map<number, Summary<LookupRun>>()
  const pings = new Map<number, Summary<PingRun>>()
  const record = <R>(m: Map<number, Summary<R>>, key: number, isOurs: boolean, run: R & Drained): void => {
    const s = m.get(key) ?? { ours: [], reference: [] }
    m.set(key, s)
    ;(isOurs ? s.ours : s.reference).push(run)
  }
  log(`lookups and pings, ${config.size}-node networks`)
  await withNetworks(config.size, async ([ours, reference]) => {
    const asker = (net: Network): Node => net.nodes[0]!
    const idleSince = new Map<Network, number>()
    // waits out the node's rest, runs, then waits until its requests drained
    const measure = async <R extends object>(net: Network, run: () => Promise<R>): Promise<R & Drained> => {
      const rest = (idleSince.get(net) ?? -Infinity) + REST_MS - now()
      if (rest > 0) await sleep(rest)
      const result = Object.assign(await run(), await drain(asker(net)))
      idleSince.set(net, now())
      return result
    }
    for (const net of [ours, reference]) { // warm up
      await measure(net, () => lookupRun(asker(net), 8, 50, config.lookupCapMs))
      await measure(net, () => pingRun(net, asker(net), 16, 16, config.pingCapMs))
    }
    let round = 0
    for (let r = 0; r < config.repeats; r++) {
      for (const c of only.has('lookups') ? config.concurrency : []) {
        for (const net of order([ours, reference], round++)) {
          const run = await measure(net, () => lookupRun(asker(net), c, lookupsPerRun(c), config.lookupCapMs))
          record(lookups, c, net === ours, run)
          log(`  lookups C=${c} ${net.name}: ${run.lookupsPerSecond.toFixed(0)}/s p99 ${fmtMs(run.p99)}${run.capped ? ' (capped)' : ''}`)
        }
      }
      for (const n of only.has('pings') ? config.pings : []) {
        for (const net of order([ours, reference], round++)) {
          const run = await measure(net, () => pingRun(net, asker(net), n, waves(n), config.pingCapMs))
          record(pings, n, net === ours, run)
          log(`  pings N=${n} ${net.name}: ${run.requestsPerSecond.toFixed(0)}/s max ${fmtMs(run.max)}${run.failed > 0 ? ` ${run.failed} failed` : ''}${run.capped ? ' (capped)' : ''}`)
        }
      }
    }
  })
  return { lookups, pings }
}

// section 3 on a pair of bigger networks. Each implementation's lookups run back to back right
// after its own churn (interleaving them would rest each node's politeness window for the
// length of the other's lookups), so both are measured at the same time since their churn.
function churn (): Promise<{ ours: ChurnResult, reference: ChurnResult }> {
  log(`churn, ${config.churnSize}-node networks`)
  return withNetworks(config.churnSize, async (nets) => {
    const results: ChurnResult[] = []
    for (const net of nets) {
      const [asker, ...rest] = shuffled(net.nodes)
      const dead = rest.slice(0, Math.round(CHURN_FRACTION * net.nodes.length))
      const alive = rest.slice(dead.length)
      const targets = shuffled(alive).slice(0, config.churnLookups)
      while (targets.length < config.churnLookups) targets.push(pick(alive))
      await Promise.all(dead.map((node) => node.destroy()))
      const lookups: ChurnLookup[] = []
      for (const [i, target] of targets.entries()) {
        const l = await churnLookup(asker!, target, config.churnCapMs)
        lookups.push(l)
        log(`  churn lookup ${i + 1} ${net.name}: ${l.found ? 'found' : 'NOT found'} target reply ${fmtMs(l.targetReply)} finished ${fmtMs(l.finished)}${l.capped ? ' (capped)' : ''}`)
      }
      results.push(summarizeChurn(config.churnSize, dead.length, lookups))
    }
    return { ours: results[0]!, reference: results[1]! }
  })
}

async function main (): Promise<void> {
  const loadBefore = loadavg()
  log(`node benchmark${quick ? ' (quick)' : ''}: load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}`)
  const { lookups, pings } = only.has('lookups') || only.has('pings') ? await lookupsAndPings() : { lookups: new Map(), pings: new Map() }
  const churned = only.has('churn') ? await churn() : null
  const loadAfter = loadavg()

  const result = {
    node: process.version,
    quick,
    loadavg: { before: loadBefore, after: loadAfter },
    config,
    lookups: [...lookups].map(([concurrency, s]) => ({ concurrency, ours: s.ours, reference: s.reference, median: { ours: medianLookup(s.ours), reference: medianLookup(s.reference) } })),
    pings: [...pings].map(([concurrency, s]) => ({ concurrency, ours: s.ours, reference: s.reference, median: { ours: medianPing(s.ours), reference: medianPing(s.reference) } })),
    churn: churned
  }
  if (args.json) console.log(JSON.stringify(result, null, 2))
  else printTables(result)

  // every node is destroyed: the loop must empty now, and anything keeping it alive is a leak
  setTimeout(() => {
    console.error(`still open ${EXIT_GRACE_MS} ms after every node was destroyed: ${process.getActiveResourcesInfo().join(', ')}`)
    process.exit(1)
  }, EXIT_GRACE_MS).unref()
}

function medianLookup (runs: LookupRun[]): { lookupsPerSecond: number | null, p50: number | null, p99: number | null, capped: boolean } {
  return {
    lookupsPerSecond: median(runs.map((r) => r.lookupsPerSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    capped: runs.some((r) => r.capped)
  }
}

function medianPing (runs: PingRun[]): { requestsPerSecond: number | null, p99: number | null, max: number | null, failed: number, capped: boolean } {
  return {
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p99: median(runs.map((r) => r.p99)),
    max: median(runs.map((r) => r.max)),
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
    capped: runs.some((r) => r.capped)
  }
}

// --- the tables ---

function fmtMs (ms: number | null): string {
  if (ms === null) return '-'
  return ms >= 1000 ? (ms / 1000).toFixed(2) + ' s' : ms.toFixed(ms < 10 ? 1 : 0) + ' ms'
}

function fmtRate (x: number | null): string {
  if (x === null) return '-'
  return x >= 10_000 ? (x / 1000).toFixed(1) + 'k' : x.toFixed(x < 10 ? 1 : 0)
}

// how many times better ours is: higher rates are better, lower times are better
function ratio (ours: number | null, reference: number | null, higherIsBetter: boolean): string {
  if (ours === null || reference === null || ours === 0 || reference === 0) return '-'
  return (higherIsBetter ? ours / reference : reference / ours).toFixed(2) + 'x'
}

function row (cells: string[], widths: number[]): string {
  return cells.map((c, i) => i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)).join('')
}

type LookupMedian = ReturnType<typeof medianLookup>
type PingMedian = ReturnType<typeof medianPing>
const capMark = (capped: boolean): string => capped ? '*' : ''

function printTables (r: {
  node: string
  loadavg: { before: number[], after: number[] }
  lookups: Array<{ concurrency: number, median: { ours: LookupMedian, reference: LookupMedian } }>
  pings: Array<{ concurrency: number, median: { ours: PingMedian, reference: PingMedian } }>
  churn: { ours: ChurnResult, reference: ChurnResult } | null
}): void {
  const load = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(' ')
  console.log(`@dht/rpc vs dht-rpc@5.0.0-rc.6, one process on ${HOST} (node ${r.node}), load average ${load(r.loadavg.before)} before, ${load(r.loadavg.after)} after`)
  console.log('ratio: how many times better @dht/rpc is (rate ours/reference, time reference/ours); * = a run hit its wall-clock cap')
  if (r.lookups.length > 0) printLookups(r.lookups)
  if (r.pings.length > 0) printPings(r.pings)
  if (r.churn !== null) printChurn(r.churn)
}

function printLookups (lookups: Array<{ concurrency: number, median: { ours: LookupMedian, reference: LookupMedian } }>): void {
  console.log('')
  console.log(`1. lookups: one node of ${config.size} running C find_node lookups at once; ${config.lookups} (at least 8C) per run, cap ${config.lookupCapMs / 1000} s, median of ${config.repeats} runs`)
  const w = [6, 11, 10, 10, 13, 10, 10, 10, 10]
  console.log(row(['C', 'ours/s', 'p50', 'p99', 'ref/s', 'p50', 'p99', 'rate', 'p99'], w))
  for (const { concurrency, median: { ours, reference } } of lookups) {
    console.log(row([
      String(concurrency),
      fmtRate(ours.lookupsPerSecond) + capMark(ours.capped), fmtMs(ours.p50), fmtMs(ours.p99),
      fmtRate(reference.lookupsPerSecond) + capMark(reference.capped), fmtMs(reference.p50), fmtMs(reference.p99),
      ratio(ours.lookupsPerSecond, reference.lookupsPerSecond, true), ratio(ours.p99, reference.p99, false)
    ], w))
  }
}

function printPings (pings: Array<{ concurrency: number, median: { ours: PingMedian, reference: PingMedian } }>): void {
  console.log('')
  console.log(`2. pings: one node sending N pings at once to random nodes of ${config.size}, ${config.pingsPerRun} (at least 4 waves) per run, cap ${config.pingCapMs / 1000} s, median of ${config.repeats} runs (fail: total)`)
  const w = [6, 11, 10, 10, 8, 13, 10, 10, 8, 10, 10]
  console.log(row(['N', 'ours/s', 'p99', 'max', 'fail', 'ref/s', 'p99', 'max', 'fail', 'rate', 'max'], w))
  for (const { concurrency, median: { ours, reference } } of pings) {
    console.log(row([
      String(concurrency),
      fmtRate(ours.requestsPerSecond) + capMark(ours.capped), fmtMs(ours.p99), fmtMs(ours.max), String(ours.failed),
      fmtRate(reference.requestsPerSecond) + capMark(reference.capped), fmtMs(reference.p99), fmtMs(reference.max), String(reference.failed),
      ratio(ours.requestsPerSecond, reference.requestsPerSecond, true), ratio(ours.max, reference.max, false)
    ], w))
  }
}

function printChurn (c: { ours: ChurnResult, reference: ChurnResult }): void {
  console.log('')
  console.log(`3. churn: ${c.ours.destroyed} of ${c.ours.size} nodes destroyed at once, then ${c.ours.lookups.length} lookups of live nodes' ids from a survivor, one after another (cap ${config.churnCapMs / 1000} s each)`)
  const w = [22, 16, 16, 10]
  const pct = (x: number): string => (100 * x).toFixed(0) + '%'
  console.log(row(['', OURS, REFERENCE, 'ratio'], w))
  console.log(row(['target found', pct(c.ours.successRate), pct(c.reference.successRate), ''], w))
  for (const p of ['p50', 'p99', 'max'] as const) {
    console.log(row([`target reply ${p}`, fmtMs(c.ours.targetReply[p]), fmtMs(c.reference.targetReply[p]), ratio(c.ours.targetReply[p], c.reference.targetReply[p], false)], w))
  }
  for (const p of ['p50', 'p99', 'max'] as const) {
    console.log(row([`lookup finished ${p}`, fmtMs(c.ours.finished[p]), fmtMs(c.reference.finished[p]), ratio(c.ours.finished[p], c.reference.finished[p], false)], w))
  }
  console.log(row(['capped lookups', String(c.ours.capped), String(c.reference.capped), ''], w))
}

await main()

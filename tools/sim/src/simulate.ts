// One simulation: join N nodes in waves, measure lookups and tables, then churn.

import { SeededRandom } from '@dht/sim'
import { measureChurn } from './churn.js'
import type { ChurnReport } from './churn.js'
import type { Cluster } from './cluster.js'
import { LocalCluster } from './local-cluster.js'
import { measureLookups } from './lookups.js'
import type { LookupReport } from './lookups.js'
import type { SimOptions } from './network.js'
import { PartitionedCluster } from './partition/cluster.js'
import { summarize } from './stats.js'
import type { Summary } from './stats.js'

export interface SimulationOptions extends SimOptions {
  nodes: number
  lookups: number
  /** Lookups started together, in batches (see measureLookups). @default 1 */
  lookupsAtOnce?: number
  /** Share of the network killed at once for the churn phase; 0 skips it. */
  churn: number
  /** Simulated minutes after the kill at which dead table entries are counted. */
  recoveryMinutes: number[]
  /** A wave adds this share of the current network at once (at least `minWave` nodes, at most `maxWave`). */
  growth: number
  minWave: number
  /** Null: no limit. */
  maxWave: number | null
  /**
   * Threads that run the nodes: 1 runs them all on this one; more split the network into
   * that many partitions, each on a worker thread of its own (the results then depend on
   * the seed and on this count).
   */
  workers?: number
  /** Called after each phase, for progress lines. */
  log?: (line: string) => void
}

export interface JoinReport {
  nodes: number
  waves: number
  wallMs: number
  simulatedMs: number
  /** Datagrams on the network during the joins, per joined node. */
  datagramsPerJoin: number
  /** GC pauses of the nodes' threads during the joins, ms (absent in reports measured before it was). */
  gcMs?: number
  /** JS heap after the joins (after a full GC when exposed), per node. */
  heapPerNodeBytes: number
  rssBytes: number
}

export interface SimulationReport {
  options: Omit<SimulationOptions, 'log'>
  join: JoinReport
  table: Summary
  /** The smallest routing table. */
  tableMin: number
  lookups: LookupReport
  lookupWallMs: number
  churn: ChurnReport | null
  churnWallMs: number
  peakRssBytes: number
}

export async function simulate (opts: SimulationOptions): Promise<SimulationReport> {
  const workers = opts.workers ?? 1
  const cluster: Cluster = workers === 1 ? new LocalCluster(opts, opts.nodes) : await PartitionedCluster.create(opts, opts.nodes, workers)
  try {
    return await run(opts, cluster)
  } catch (err) {
    await cluster.destroy().catch(() => {}) // worker threads would keep the process alive
    throw err
  }
}

async function run (opts: SimulationOptions, cluster: Cluster): Promise<SimulationReport> {
  const log = opts.log ?? (() => {})
  const random = new SeededRandom(opts.seed ^ 0x5eed)
  const heapBefore = await cluster.heapUsed(true)
  const gcStart = await cluster.gcMs()

  const joinStart = performance.now()
  await cluster.start()
  let waves = 0
  let joined = cluster.nodes.length
  while (joined < opts.nodes) {
    const size = Math.min(opts.nodes - joined, opts.maxWave ?? Infinity, Math.max(opts.minWave, Math.ceil(joined * opts.growth)))
    const waveStart = performance.now()
    const gcBefore = await cluster.gcMs()
    const sentBefore = cluster.datagramsSent()
    await cluster.join(size)
    joined += size
    waves++
    const waveMs = performance.now() - waveStart
    const sent = cluster.datagramsSent() - sentBefore
    const wave = `${(1000 * waveMs / Math.max(1, sent)).toFixed(0)} µs per datagram, GC ${(100 * (await cluster.gcMs() - gcBefore) / waveMs).toFixed(0)}%`
    log(`joined ${joined}/${opts.nodes} (wave of ${size}) at ${(cluster.now() / 1000).toFixed(1)} s simulated, ${((performance.now() - joinStart) / 1000).toFixed(1)} s wall (${wave}), ${await memoryLine(cluster)}`)
  }
  const joinWall = performance.now() - joinStart
  const joinGc = await cluster.gcMs() - gcStart
  const joinDatagrams = cluster.datagramsSent()
  const heapAfter = await cluster.heapUsed(true)
  const join: JoinReport = {
    nodes: joined,
    waves,
    wallMs: joinWall,
    simulatedMs: cluster.now(),
    gcMs: joinGc,
    datagramsPerJoin: joinDatagrams / Math.max(1, joined - 1),
    heapPerNodeBytes: (heapAfter - heapBefore) / joined,
    rssBytes: process.memoryUsage().rss
  }
  const sizes = await cluster.tableSizes()
  const table = summarize(sizes)
  const tableMin = sizes.reduce((a, b) => Math.min(a, b), Infinity)

  const lookupStart = performance.now()
  const lookups = await measureLookups(cluster, opts.lookups, random, opts.lookupsAtOnce)
  const lookupWallMs = performance.now() - lookupStart
  log(`${opts.lookups} lookups in ${(lookupWallMs / 1000).toFixed(1)} s wall, ${await memoryLine(cluster)}`)

  const churnStart = performance.now()
  const churn = opts.churn > 0 ? await measureChurn(cluster, opts.churn, opts.lookups, opts.recoveryMinutes, random, opts.lookupsAtOnce) : null
  const churnWallMs = performance.now() - churnStart
  if (churn !== null) log(`churn: killed ${churn.killed}, ${opts.lookups} lookups and ${opts.recoveryMinutes.at(-1) ?? 0} simulated minutes in ${(churnWallMs / 1000).toFixed(1)} s wall`)

  await cluster.destroy()
  const { log: _log, ...options } = opts
  return { options, join, table, tableMin, lookups, lookupWallMs, churn, churnWallMs, peakRssBytes: process.resourceUsage().maxRSS * 1024 }
}

// memory as the progress lines show it: the process's resident set and the JS heap in use
async function memoryLine (cluster: Cluster): Promise<string> {
  const heap = await cluster.heapUsed(false)
  return `RSS ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB, heap ${(heap / 2 ** 30).toFixed(2)} GiB`
}

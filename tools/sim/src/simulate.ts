// One simulation: join N nodes in waves, measure lookups and tables, then churn.

import { SeededRandom } from '@dht/io/sim'
import { measureChurn } from './churn.js'
import type { ChurnReport } from './churn.js'
import { GcTime } from './gc-time.js'
import { measureLookups } from './lookups.js'
import type { LookupReport } from './lookups.js'
import { SimulatedNetwork } from './network.js'
import type { SimOptions } from './network.js'
import { summarize } from './stats.js'
import type { Summary } from './stats.js'

export interface SimulationOptions extends SimOptions {
  nodes: number
  lookups: number
  /** Share of the network killed at once for the churn phase; 0 skips it. */
  churn: number
  /** Simulated minutes after the kill at which dead table entries are counted. */
  recoveryMinutes: number[]
  /** A wave adds this share of the current network at once (at least `minWave` nodes, at most `maxWave`). */
  growth: number
  minWave: number
  /** Null: no limit. */
  maxWave: number | null
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
  /** Main-thread GC pauses during the joins, ms (absent in reports measured before it was). */
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
  const log = opts.log ?? (() => {})
  const random = new SeededRandom(opts.seed ^ 0x5eed)
  const sim = new SimulatedNetwork(opts)
  collectGarbage()
  const heapBefore = process.memoryUsage().heapUsed

  const gc = new GcTime()
  const joinStart = performance.now()
  await sim.start()
  let waves = 0
  while (sim.nodes.length < opts.nodes) {
    const size = Math.min(opts.nodes - sim.nodes.length, opts.maxWave ?? Infinity, Math.max(opts.minWave, Math.ceil(sim.nodes.length * opts.growth)))
    const waveStart = performance.now()
    const gcBefore = gc.ms
    const sentBefore = sim.net.stats.sent
    await sim.join(size)
    waves++
    const waveMs = performance.now() - waveStart
    const sent = sim.net.stats.sent - sentBefore
    const wave = `${(1000 * waveMs / Math.max(1, sent)).toFixed(0)} µs per datagram, GC ${(100 * (gc.ms - gcBefore) / waveMs).toFixed(0)}%`
    log(`joined ${sim.nodes.length}/${opts.nodes} (wave of ${size}) at ${(sim.clock.now() / 1000).toFixed(1)} s simulated, ${((performance.now() - joinStart) / 1000).toFixed(1)} s wall (${wave}), ${memoryLine()}`)
  }
  const joinWall = performance.now() - joinStart
  const joinGc = gc.ms
  gc.stop()
  const joinDatagrams = sim.net.stats.sent
  collectGarbage()
  const memory = process.memoryUsage()
  const join: JoinReport = {
    nodes: sim.nodes.length,
    waves,
    wallMs: joinWall,
    simulatedMs: sim.clock.now(),
    gcMs: joinGc,
    datagramsPerJoin: joinDatagrams / Math.max(1, sim.nodes.length - 1),
    heapPerNodeBytes: (memory.heapUsed - heapBefore) / sim.nodes.length,
    rssBytes: memory.rss
  }
  const sizes = sim.nodes.map((node) => node.dht.table.size)
  const table = summarize(sizes)
  const tableMin = sizes.reduce((a, b) => Math.min(a, b), Infinity)

  const lookupStart = performance.now()
  const lookups = await measureLookups(sim, opts.lookups, random)
  const lookupWallMs = performance.now() - lookupStart
  log(`${opts.lookups} lookups in ${(lookupWallMs / 1000).toFixed(1)} s wall, ${memoryLine()}`)

  const churnStart = performance.now()
  const churn = opts.churn > 0 ? await measureChurn(sim, opts.churn, opts.lookups, opts.recoveryMinutes, random) : null
  const churnWallMs = performance.now() - churnStart
  if (churn !== null) log(`churn: killed ${churn.killed}, ${opts.lookups} lookups and ${opts.recoveryMinutes.at(-1) ?? 0} simulated minutes in ${(churnWallMs / 1000).toFixed(1)} s wall`)

  await sim.destroy()
  const { log: _log, ...options } = opts
  return { options, join, table, tableMin, lookups, lookupWallMs, churn, churnWallMs, peakRssBytes: process.resourceUsage().maxRSS * 1024 }
}

// memory as the progress lines show it: the process's resident set and the JS heap in use
function memoryLine (): string {
  const { rss, heapUsed } = process.memoryUsage()
  return `RSS ${(rss / 2 ** 30).toFixed(2)} GiB, heap ${(heapUsed / 2 ** 30).toFixed(2)} GiB`
}

function collectGarbage (): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) gc()
}

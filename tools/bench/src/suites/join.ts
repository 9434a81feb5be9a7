import type { Implementation } from '../adapters/types.js'
import { now, quantiles } from '../stats.js'
import type { Quantiles } from '../stats.js'
import { gcAvailable, settledMemory } from './common.js'

/** N persistent nodes joining one after another, in a process of their own. */
export interface JoinRun {
  size: number
  /** From the first join's start to the last one's end. */
  wallMs: number
  /** One join: from creating the node to its bootstrap's end. */
  perJoinMs: Quantiles
  /** CPU (user + system) of the whole process while the nodes joined, per join. */
  cpuPerJoinMs: number
  /** Datagrams sent by every node of the network while they joined, per join. */
  packetsPerJoin: number
  /** Resident memory of the process after forced GC: before the nodes, after them. */
  rssBeforeMB: number
  rssAfterMB: number
  /** (rssAfter - rssBefore) / N. */
  rssPerNodeKB: number
  /** The same with the JS heap only. */
  heapPerNodeKB: number
  /** Peak resident memory of the process (the bootstrap node and the runtime included). */
  peakRssMB: number
  gc: boolean
}

export async function runJoin (impl: Implementation, size: number): Promise<JoinRun> {
  const net = await impl.start(size)
  const before = await settledMemory()
  const cpu0 = process.cpuUsage()
  const p0 = net.packetsSent()
  const joins: number[] = []
  const t0 = now()
  for (let i = 0; i < size; i++) {
    const t = now()
    await net.join()
    joins.push(now() - t)
  }
  const wallMs = now() - t0
  const cpu = process.cpuUsage(cpu0)
  const packets = net.packetsSent() - p0
  const after = await settledMemory()
  const MB = 1024 * 1024
  return {
    size,
    wallMs,
    perJoinMs: quantiles(joins),
    cpuPerJoinMs: (cpu.user + cpu.system) / 1000 / size,
    packetsPerJoin: packets / size,
    rssBeforeMB: before.rss / MB,
    rssAfterMB: after.rss / MB,
    rssPerNodeKB: (after.rss - before.rss) / 1024 / size,
    heapPerNodeKB: (after.heapUsed - before.heapUsed) / 1024 / size,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    gc: gcAvailable()
  }
}

// Churn: kill a share of the network at once, look up at once, then let time pass and
// watch the dead nodes leave the routing tables.

import type { Random } from '@dht/io'
import { liveIndices } from './cluster.js'
import type { Cluster } from './cluster.js'
import { measureLookups } from './lookups.js'
import type { LookupReport } from './lookups.js'

export interface RecoveryPoint {
  /** Simulated minutes since the kill. */
  minutes: number
  /** Share of routing table entries (of the sampled live nodes) that point to dead nodes. */
  deadShare: number
  /** Mean table size of the sampled live nodes. */
  tableSize: number
}

export interface ChurnReport {
  killed: number
  /** Lookups started right after the kill. */
  lookups: LookupReport
  recovery: RecoveryPoint[]
}

const SAMPLE_TABLES = 2000

export async function measureChurn (cluster: Cluster, share: number, lookups: number, recoveryMinutes: readonly number[], random: Random, lookupsAtOnce = 1): Promise<ChurnReport> {
  const live = liveIndices(cluster).slice(1) // the bootstrap node stays
  const victims = shuffle(live, random).slice(0, Math.floor(share * live.length))
  await cluster.kill(victims)
  const report = await measureLookups(cluster, lookups, random, lookupsAtOnce)
  const recovery: RecoveryPoint[] = [await deadEntries(cluster, 0, random)]
  const start = cluster.now()
  for (const minutes of recoveryMinutes) {
    const wait = start + minutes * 60_000 - cluster.now()
    if (wait > 0) await cluster.run(wait)
    recovery.push(await deadEntries(cluster, minutes, random))
  }
  return { killed: victims.length, lookups: report, recovery }
}

async function deadEntries (cluster: Cluster, minutes: number, random: Random): Promise<RecoveryPoint> {
  const sample = shuffle(liveIndices(cluster), random).slice(0, SAMPLE_TABLES)
  const { entries, dead } = await cluster.deadEntries(sample)
  return { minutes, deadShare: entries === 0 ? 0 : dead / entries, tableSize: sample.length === 0 ? 0 : entries / sample.length }
}

function shuffle<T> (items: readonly T[], random: Random): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1))
    const t = out[i]!
    out[i] = out[j]!
    out[j] = t
  }
  return out
}

// Churn: kill a share of the network at once, look up at once, then let time pass and
// watch the dead nodes leave the routing tables.

import type { Random } from '@dht/io'
import type { SimulatedNetwork } from './network.js'
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

export async function measureChurn (sim: SimulatedNetwork, share: number, lookups: number, recoveryMinutes: readonly number[], random: Random): Promise<ChurnReport> {
  const live = sim.live().slice(1) // the bootstrap node stays
  const victims = shuffle(live, random).slice(0, Math.floor(share * live.length))
  await Promise.all(victims.map((node) => sim.kill(node)))
  const report = await measureLookups(sim, lookups, random)
  const recovery: RecoveryPoint[] = [deadEntries(sim, 0, random)]
  const start = sim.clock.now()
  for (const minutes of recoveryMinutes) {
    const wait = start + minutes * 60_000 - sim.clock.now()
    if (wait > 0) await sim.clock.run(wait)
    recovery.push(deadEntries(sim, minutes, random))
  }
  return { killed: victims.length, lookups: report, recovery }
}

function deadEntries (sim: SimulatedNetwork, minutes: number, random: Random): RecoveryPoint {
  const dead = new Set(sim.nodes.filter((node) => !node.alive).map((node) => `${node.peer.host}:${node.peer.port}`))
  const sample = shuffle(sim.live(), random).slice(0, SAMPLE_TABLES)
  let entries = 0
  let deadCount = 0
  for (const node of sample) {
    for (const entry of node.dht.table.toArray()) {
      entries++
      if (dead.has(`${entry.host}:${entry.port}`)) deadCount++
    }
  }
  return { minutes, deadShare: entries === 0 ? 0 : deadCount / entries, tableSize: sample.length === 0 ? 0 : entries / sample.length }
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

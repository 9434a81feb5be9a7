import type { Implementation } from '../adapters/types.js'
import type { Config } from '../config.js'
import { pick, shuffled, sleep } from '../stats.js'
import { buildNetwork, oneLookup, round2, summarizeLookups } from './common.js'
import type { LookupSummary } from './common.js'

export interface ChurnRun {
  size: number
  killed: number
  /** find_node lookups of live nodes' ids from one survivor, one after another, right after the churn. */
  lookups: LookupSummary
  /** Each lookup: ms to the target's reply (null: never) and to its end. */
  samples: Array<{ targetReplyMs: number | null, ms: number, found: boolean, capped: boolean }>
}

/** A network of `size` nodes loses `fraction` of them at once; then lookups of live nodes. */
export async function runChurn (impl: Implementation, config: Config, log: (line: string) => void): Promise<ChurnRun> {
  const c = config.churn
  const net = await buildNetwork(impl, c.size, config.network.parallel)
  await sleep(c.settleMs)
  const [asker, ...rest] = shuffled(net.nodes)
  const killed = rest.slice(0, Math.round(c.fraction * net.nodes.length))
  const alive = rest.slice(killed.length)
  const targets = shuffled(alive).slice(0, c.lookups)
  while (targets.length < c.lookups) targets.push(pick(alive))
  await Promise.all(killed.map((n) => n.destroy()))
  const samples = []
  for (const target of targets) {
    const s = await oneLookup(net, asker!, target.id, 'find_node', c.capMs, target)
    log(`churn lookup: ${s.found === true ? 'found' : 'NOT found'}, target reply ${s.targetReplyMs === null ? '-' : s.targetReplyMs.toFixed(0) + ' ms'}, finished ${s.ms.toFixed(0)} ms${s.capped ? ' (capped)' : ''}`)
    samples.push(s)
  }
  return {
    size: c.size,
    killed: killed.length,
    lookups: summarizeLookups(samples),
    samples: samples.map((s) => ({ targetReplyMs: s.targetReplyMs === null ? null : round2(s.targetReplyMs), ms: round2(s.ms), found: s.found === true, capped: s.capped }))
  }
}

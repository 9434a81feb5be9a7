import { randomBytes } from 'node:crypto'
import type { BenchNode, Network } from '../adapters/types.js'
import type { Config } from '../config.js'
import { shuffled } from '../stats.js'
import { oneLookup, round2, summarizeLookups } from './common.js'
import type { LookupSummary } from './common.js'

export interface LookupsRun {
  size: number
  /** find_node lookups of existing nodes' ids, one after another. */
  findNode: LookupSummary
  /** Lookups of random targets with a custom command that every node answers. */
  custom: LookupSummary
  /** Every lookup's latency in ms, for the distributions. */
  samples: { findNode: number[], custom: number[] }
}

/** Lookups in an N-node network from one node, one after another. */
export async function runLookups (net: Network, asker: BenchNode, config: Config): Promise<LookupsRun> {
  const { count, capMs } = config.lookups
  const others = net.nodes.filter((n) => n !== asker && n.alive)
  const targets: BenchNode[] = []
  while (targets.length < count) targets.push(...shuffled(others))
  targets.length = count

  const findNode = []
  for (const target of targets) findNode.push(await oneLookup(net, asker, target.id, 'find_node', capMs, target))
  const custom = []
  for (let i = 0; i < count; i++) custom.push(await oneLookup(net, asker, randomBytes(32), 'custom', capMs))

  return {
    size: net.nodes.length,
    findNode: summarizeLookups(findNode),
    custom: summarizeLookups(custom),
    samples: { findNode: findNode.map((s) => round2(s.ms)), custom: custom.map((s) => round2(s.ms)) }
  }
}

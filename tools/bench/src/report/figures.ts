import { IMPLS } from '../adapters/types.js'
import type { ImplKey } from '../adapters/types.js'
import { CODEC_CASES, CODEC_LABELS } from '../suites/codec.js'
import { median } from '../stats.js'
import type { Better, Figure, Goal, Results, RunRecord, Unit } from './results.js'
import type { Suite } from '../config.js'
import { lookupFloors } from './floor.js'

function figure<R> (suite: Suite, key: string, label: string, unit: Unit, better: Better, records: ReadonlyArray<RunRecord<R>>, get: (r: R) => number | null | undefined): Figure {
  const values = {} as Record<ImplKey, number | null>
  const runs = {} as Record<ImplKey, number>
  for (const impl of IMPLS) {
    const xs = records.filter((r) => r.ok && r.impl === impl && r.result !== undefined).map((r) => get(r.result!) ?? null)
    values[impl] = median(xs)
    runs[impl] = xs.filter((x) => x !== null).length
  }
  return { suite, key, label, unit, better, values, runs }
}

/** Every figure of the run, medians over repeats. */
export function computeFigures (r: Omit<Results, 'figures' | 'goals'>): Figure[] {
  const figures: Figure[] = []
  const { config } = r.meta
  const suites = new Set(r.meta.suites)

  if (suites.has('join')) {
    for (const n of config.join.sizes) {
      const recs = r.join.filter((x) => x.size === n)
      figures.push(figure('join', `join.${n}.wallMs`, `join of ${n} nodes, one after another: wall time`, 'ms', 'lower', recs, (j) => j.wallMs))
      figures.push(figure('join', `join.${n}.cpuPerJoinMs`, `join of ${n}: CPU per join`, 'ms', 'lower', recs, (j) => j.cpuPerJoinMs))
      figures.push(figure('join', `join.${n}.packetsPerJoin`, `join of ${n}: packets per join`, 'count', 'lower', recs, (j) => j.packetsPerJoin))
      figures.push(figure('join', `join.${n}.peakRssMB`, `join of ${n}: peak RSS of the process`, 'MB', 'lower', recs, (j) => j.peakRssMB))
      figures.push(figure('join', `join.${n}.rssPerNodeKB`, `join of ${n}: RSS per node`, 'KB', 'lower', recs, (j) => j.rssPerNodeKB))
    }
  }

  const net = r.network
  if (suites.has('lookups')) {
    const n = config.network.size
    for (const [kind, name] of [['findNode', 'find_node of existing ids'], ['custom', 'custom command, random targets']] as const) {
      const get = (x: { lookups?: import('../suites/lookups.js').LookupsRun }) => x.lookups?.[kind]
      figures.push(figure('lookups', `lookups.${kind}.p50`, `lookups in ${n} nodes, ${name}: p50`, 'ms', 'lower', net, (x) => get(x)?.latency.p50))
      figures.push(figure('lookups', `lookups.${kind}.p95`, `  ${kind === 'findNode' ? 'find_node' : 'custom'}: p95`, 'ms', 'lower', net, (x) => get(x)?.latency.p95))
      figures.push(figure('lookups', `lookups.${kind}.p99`, `  ${kind === 'findNode' ? 'find_node' : 'custom'}: p99`, 'ms', 'lower', net, (x) => get(x)?.latency.p99))
      figures.push(figure('lookups', `lookups.${kind}.requests`, `  ${kind === 'findNode' ? 'find_node' : 'custom'}: requests per lookup`, 'count', 'lower', net, (x) => get(x)?.requests.mean))
      if (kind === 'findNode') figures.push(figure('lookups', `lookups.${kind}.success`, '  find_node: exact target replied', 'share', 'higher', net, (x) => get(x)?.success))
      figures.push(figure('lookups', `lookups.${kind}.recall`, `  ${kind === 'findNode' ? 'find_node' : 'custom'}: recall of the true 20 closest`, 'share', 'higher', net, (x) => get(x)?.recall))
    }
  }

  if (suites.has('throughput')) {
    const n = config.network.size
    const t = config.throughput
    for (const [kind, cs, name] of [['lookups', t.lookupConcurrency, 'lookups'], ['requests', t.requestConcurrency, 'requests'], ['pings', t.requestConcurrency, 'pings']] as const) {
      cs.forEach((c, i) => {
        const get = (x: { throughput?: import('../suites/throughput.js').ThroughputRun }) => x.throughput?.[kind][i]
        figures.push(figure('throughput', `throughput.${kind}.${c}.rate`, `${i === 0 ? `one node of ${n}, ` : '  '}${c} concurrent ${name}: rate`, 'per-second', 'higher', net, (x) => get(x)?.rate))
        figures.push(figure('throughput', `throughput.${kind}.${c}.p99`, `  ${c} concurrent ${name}: p99`, 'ms', 'lower', net, (x) => get(x)?.latency.p99))
      })
    }
  }

  if (suites.has('commit')) {
    figures.push(figure('commit', 'commit.p50', `commit: true query in ${config.network.size} nodes: p50`, 'ms', 'lower', net, (x) => x.commit?.latency.p50))
    figures.push(figure('commit', 'commit.p99', '  commit: p99', 'ms', 'lower', net, (x) => x.commit?.latency.p99))
    figures.push(figure('commit', 'commit.commitsPerQuery', '  commits received per query', 'count', null, net, (x) => x.commit?.commitsPerQuery))
    figures.push(figure('commit', 'commit.requestsPerQuery', '  requests per query (commits included)', 'count', 'lower', net, (x) => x.commit?.requestsPerQuery))
  }

  if (suites.has('codec') && r.codec?.result !== undefined) {
    const codec = r.codec.result
    for (const c of CODEC_CASES) {
      const values = { ours: codec.opsPerSecond.ours[c], rc6: codec.opsPerSecond.rc6[c], v6: codec.opsPerSecond.v6[c] }
      const runs = { ours: codec.rounds, rc6: codec.rounds, v6: values.v6 === null ? 0 : codec.rounds }
      figures.push({ suite: 'codec', key: `codec.${c}`, label: `codec: ${CODEC_LABELS[c]}, encode+decode`, unit: 'per-second', better: 'higher', values, runs })
    }
  }

  if (suites.has('churn')) {
    const c = config.churn
    const ch = r.churn
    figures.push(figure('churn', 'churn.success', `churn: ${Math.round(c.fraction * 100)}% of ${c.size} killed, lookups: target replied`, 'share', 'higher', ch, (x) => x.lookups.success))
    figures.push(figure('churn', 'churn.targetReply.p50', '  time to the target\'s reply: p50', 'ms', 'lower', ch, (x) => x.lookups.targetReply.p50))
    figures.push(figure('churn', 'churn.finished.p50', '  time to finish: p50', 'ms', 'lower', ch, (x) => x.lookups.latency.p50))
    figures.push(figure('churn', 'churn.finished.max', '  time to finish: slowest', 'ms', 'lower', ch, (x) => x.lookups.latency.max))
    figures.push(figure('churn', 'churn.requests', '  requests per lookup', 'count', 'lower', ch, (x) => x.lookups.requests.mean))
  }
  return figures
}

/** The issue's goals, checked on this run's figures. */
export function computeGoals (figures: Figure[], r: Omit<Results, 'figures' | 'goals'>): Goal[] {
  const byKey = new Map(figures.map((f) => [f.key, f]))
  const goals: Goal[] = []
  const ratio = (key: string, ref: ImplKey): number | null => {
    const f = byKey.get(key)
    const o = f?.values.ours ?? null
    const x = f?.values[ref] ?? null
    return o === null || x === null || x === 0 ? null : o / x
  }
  const add = (goal: string, key: string, kind: Goal['kind'], target: string, test: (x: number) => boolean): void => {
    if (!byKey.has(key)) return
    const measured = kind === 'ours' ? byKey.get(key)!.values.ours : ratio(key, kind === 'ratio to rc.6' ? 'rc6' : 'v6')
    goals.push({ goal, figure: key, measured, kind, target, met: measured === null ? null : test(measured) })
  }
  const { config } = r.meta
  const n = Math.max(...config.join.sizes)
  add(`join of ${n} nodes in at most half rc.6's time`, `join.${n}.wallMs`, 'ratio to rc.6', '<= 0.5', (x) => x <= 0.5)
  add('at most half rc.6\'s memory per node', `join.${n}.rssPerNodeKB`, 'ratio to rc.6', '<= 0.5', (x) => x <= 0.5)
  add('no more packets per join than v6', `join.${n}.packetsPerJoin`, 'ratio to v6', '<= 1', (x) => x <= 1)
  for (const kind of ['findNode', 'custom']) {
    for (const p of ['p50', 'p95', 'p99']) add(`lookup latency below rc.6's (${kind === 'findNode' ? 'find_node' : 'custom'} ${p})`, `lookups.${kind}.${p}`, 'ratio to rc.6', '< 1', (x) => x < 1)
    add(`requests per lookup below rc.6's (${kind === 'findNode' ? 'find_node' : 'custom'})`, `lookups.${kind}.requests`, 'ratio to rc.6', '< 1', (x) => x < 1)
  }
  const floors = lookupFloors(r)
  for (const c of config.throughput.lookupConcurrency.filter((c) => c >= 8)) {
    add(`${c} concurrent lookups: at least 5x rc.6's rate`, `throughput.lookups.${c}.rate`, 'ratio to rc.6', '>= 5', (x) => x >= 5)
    add(`${c} concurrent lookups: p99 under 100 ms`, `throughput.lookups.${c}.p99`, 'ours', '< 100 ms', (x) => x < 100)
    const floorMs = floors.find((f) => f.concurrency === c)?.byImpl.ours.floorMs ?? null
    const goal = goals.at(-1)
    if (floorMs !== null && goal?.figure === `throughput.lookups.${c}.p99`) goal.floorMs = floorMs
  }
  add('churn lookups finishing within 1 s (slowest)', 'churn.finished.max', 'ours', '<= 1000 ms', (x) => x <= 1000)
  for (const c of CODEC_CASES) add(`codec at least 1.5x rc.6 (${CODEC_LABELS[c]})`, `codec.${c}`, 'ratio to rc.6', '>= 1.5', (x) => x >= 1.5)
  return goals
}

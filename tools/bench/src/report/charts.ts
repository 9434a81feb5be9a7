import { IMPLS, LABELS } from '../adapters/types.js'
import type { ImplKey } from '../adapters/types.js'
import { median } from '../stats.js'
import { cdf, chart } from './svg.js'
import type { Panel, Series } from './svg.js'
import type { Results, RunRecord } from './results.js'

export const COLORS: Record<ImplKey, string> = { ours: '#1f77b4', rc6: '#ff7f0e', v6: '#2ca02c' }
const legend = IMPLS.map((k) => ({ name: LABELS[k], color: COLORS[k] }))
const msFormat = (x: number): string => x >= 1000 ? `${x / 1000} s` : `${x} ms`
const pctFormat = (y: number): string => `${Math.round(y * 100)}%`

function pooled<R> (records: ReadonlyArray<RunRecord<R>>, impl: ImplKey, get: (r: R) => readonly number[] | undefined): number[] {
  return records.filter((r) => r.ok && r.impl === impl && r.result !== undefined).flatMap((r) => [...(get(r.result!) ?? [])])
}

function cdfPanel<R> (title: string, records: ReadonlyArray<RunRecord<R>>, get: (r: R) => readonly number[] | undefined, opts: Partial<Panel> = {}): Panel {
  const series: Series[] = IMPLS.map((k) => ({ name: LABELS[k], color: COLORS[k], step: true, points: cdf(pooled(records, k, get)) }))
  return { title, xLabel: 'latency (log scale), all repeats', yLabel: 'share of lookups at most x', xLog: true, xFormat: msFormat, yFormat: pctFormat, yRange: [0, 1], series, ...opts }
}

function scalingPanel<R> (title: string, yLabel: string, xs: number[], records: ReadonlyArray<RunRecord<R>>, at: (rec: RunRecord<R>, x: number) => number | null | undefined, opts: Partial<Panel> = {}): Panel {
  const series: Series[] = IMPLS.map((k) => ({
    name: LABELS[k],
    color: COLORS[k],
    points: xs.flatMap((x): Array<[number, number]> => {
      const v = median(records.filter((r) => r.ok && r.impl === k).map((r) => at(r, x) ?? null))
      return v === null ? [] : [[x, v]]
    })
  }))
  return { title, xLabel: '', yLabel, xTicks: xs, series, ...opts }
}

/** The SVG files of a run: name -> content. */
export function charts (r: Results): Record<string, string> {
  const out: Record<string, string> = {}
  const { config } = r.meta
  const sub = `${r.meta.quick ? 'QUICK smoke run, ' : ''}${r.meta.date.slice(0, 10)}, node ${r.meta.node}, ${r.meta.cpus} CPUs, load ${r.meta.loadavg.start.map((x) => x.toFixed(1)).join(' ')}; medians of ${config.repeats} repeats`
  const suites = new Set(r.meta.suites)

  if (suites.has('join') && r.join.length > 0) {
    const xs = config.join.sizes
    const at = (get: (j: NonNullable<RunRecord<import('../suites/join.js').JoinRun>['result']>) => number) =>
      (rec: RunRecord<import('../suites/join.js').JoinRun>, x: number) => rec.size === x && rec.result !== undefined ? get(rec.result) : null
    const o = { xLabel: 'nodes joined one after another' }
    out['join.svg'] = chart('Join: N persistent nodes, one after another', sub, legend, [
      scalingPanel('wall time of the whole join', 'seconds', xs, r.join, at((j) => j.wallMs / 1000), o),
      scalingPanel('CPU per join', 'ms', xs, r.join, at((j) => j.cpuPerJoinMs), o),
      scalingPanel('packets per join (all nodes)', 'datagrams', xs, r.join, at((j) => j.packetsPerJoin), o),
      scalingPanel('RSS per node (after GC)', 'KB', xs, r.join, at((j) => j.rssPerNodeKB), o),
      scalingPanel('peak RSS of the process', 'MB', xs, r.join, at((j) => j.peakRssMB), o),
      scalingPanel('one join: p95', 'ms', xs, r.join, at((j) => j.perJoinMs.p95 ?? NaN), o)
    ], 3)
  }

  const panels: Panel[] = []
  if (suites.has('lookups')) {
    panels.push(cdfPanel(`find_node lookups of existing ids, ${config.network.size} nodes`, r.network, (n) => n.lookups?.samples.findNode))
    panels.push(cdfPanel(`custom-command lookups, random targets, ${config.network.size} nodes`, r.network, (n) => n.lookups?.samples.custom))
  }
  if (suites.has('commit')) panels.push(cdfPanel(`commit: true queries, ${config.network.size} nodes`, r.network, (n) => n.commit?.samples))
  if (suites.has('churn')) {
    panels.push(cdfPanel(`after ${Math.round(config.churn.fraction * 100)}% churn of ${config.churn.size}: lookup finished`, r.churn, (c) => c.samples.map((s) => s.ms), { vLines: [{ x: 1000, label: 'goal: 1 s' }] }))
    panels.push(cdfPanel(`after ${Math.round(config.churn.fraction * 100)}% churn of ${config.churn.size}: target's reply`, r.churn, (c) => c.samples.flatMap((s) => s.targetReplyMs === null ? [] : [s.targetReplyMs])))
  }
  if (panels.length > 0) out['latency.svg'] = chart('Lookup latency distributions (CDF)', sub, legend, panels, 2)

  if (suites.has('throughput')) {
    const t = config.throughput
    type TP = NonNullable<RunRecord<import('./results.js').NetworkResult>['result']>
    const at = (kind: 'lookups' | 'requests' | 'pings', field: 'rate' | 'p99') =>
      (rec: RunRecord<import('./results.js').NetworkResult>, x: number): number | null => {
        const run = (rec.result as TP | undefined)?.throughput?.[kind].find((l) => l.concurrency === x)
        if (run === undefined) return null
        return field === 'rate' ? run.rate : run.latency.p99
      }
    const o = (label: string): Partial<Panel> => ({ xLabel: `${label} at once (log scale)`, xLog: true, yLog: true })
    out['throughput.svg'] = chart(`Throughput: one node of ${config.network.size}, C operations at once`, sub, legend, [
      scalingPanel('lookups per second', 'per second (log)', t.lookupConcurrency, r.network, at('lookups', 'rate'), o('lookups')),
      scalingPanel('lookup latency p99', 'ms (log)', t.lookupConcurrency, r.network, at('lookups', 'p99'), { ...o('lookups'), hLines: [{ y: 100, label: 'goal for C >= 8: 100 ms' }] }),
      scalingPanel('custom-command requests per second', 'per second (log)', t.requestConcurrency, r.network, at('requests', 'rate'), o('requests')),
      scalingPanel('request latency p99', 'ms (log)', t.requestConcurrency, r.network, at('requests', 'p99'), o('requests')),
      scalingPanel('pings per second', 'per second (log)', t.requestConcurrency, r.network, at('pings', 'rate'), o('pings')),
      scalingPanel('ping latency p99', 'ms (log)', t.requestConcurrency, r.network, at('pings', 'p99'), o('pings'))
    ], 2)
  }
  return out
}

// The printed table of one or more simulation reports.

import type { SimulationReport } from './simulate.js'
import type { Summary } from './stats.js'

export function formatReports (reports: readonly SimulationReport[]): string {
  const rows: Array<[string, ...string[]]> = [
    ['nodes', ...reports.map((r) => String(r.join.nodes))],
    ['threads running the nodes', ...reports.map((r) => String(r.options.workers ?? 1))],
    ['join: wall time', ...reports.map((r) => seconds(r.join.wallMs))],
    ['join: GC pauses (share of wall time)', ...reports.map((r) => r.join.gcMs === undefined ? '-' : percent(r.join.gcMs / r.join.wallMs))],
    ['join: simulated time', ...reports.map((r) => seconds(r.join.simulatedMs))],
    ['join: waves', ...reports.map((r) => String(r.join.waves))],
    ['join: datagrams per join', ...reports.map((r) => r.join.datagramsPerJoin.toFixed(0))],
    ['heap per node', ...reports.map((r) => kb(r.join.heapPerNodeBytes))],
    ['peak RSS', ...reports.map((r) => mb(r.peakRssBytes))],
    ['table size mean (min-max)', ...reports.map((r) => `${fixed(r.table.mean, 1)} (${r.table.p50 === null ? '-' : minOf(r)}-${fixed(r.table.max, 0)})`)],
    ['lookup: hops mean / max', ...reports.map((r) => `${fixed(r.lookups.hops.mean, 2)} / ${fixed(r.lookups.hops.max, 0)}`)],
    ['lookup: requests mean / p95', ...reports.map((r) => `${fixed(r.lookups.requests.mean, 1)} / ${fixed(r.lookups.requests.p95, 0)}`)],
    ['lookup: to target p50 / p95 (sim)', ...reports.map((r) => pair(r.lookups.toTarget))],
    ['lookup: to finish p50 / p95 (sim)', ...reports.map((r) => pair(r.lookups.toFinish))],
    ['lookup: exact target', ...reports.map((r) => percent(r.lookups.exact / Math.max(1, r.lookups.lookups)))],
    ['lookup: recall of true 20', ...reports.map((r) => percent(r.lookups.recall))],
    ['lookups started at once', ...reports.map((r) => String(r.options.lookupsAtOnce ?? 1))],
    ['lookups: wall time', ...reports.map((r) => seconds(r.lookupWallMs))]
  ]
  if (reports.some((r) => r.churn !== null)) {
    rows.push(
      ['churn: killed', ...reports.map((r) => r.churn === null ? '-' : String(r.churn.killed))],
      ['churn lookup: exact target', ...reports.map((r) => r.churn === null ? '-' : percent(r.churn.lookups.exact / Math.max(1, r.churn.lookups.lookups)))],
      ['churn lookup: recall', ...reports.map((r) => r.churn === null ? '-' : percent(r.churn.lookups.recall))],
      ['churn lookup: to target p50 / p95', ...reports.map((r) => r.churn === null ? '-' : pair(r.churn.lookups.toTarget))],
      ['churn lookup: to finish p50 / p95', ...reports.map((r) => r.churn === null ? '-' : pair(r.churn.lookups.toFinish))]
    )
    const minutes = [...new Set(reports.flatMap((r) => r.churn?.recovery.map((p) => p.minutes) ?? []))].sort((a, b) => a - b)
    for (const m of minutes) {
      rows.push([`dead table entries after ${m} min`, ...reports.map((r) => {
        const point = r.churn?.recovery.find((p) => p.minutes === m)
        return point === undefined ? '-' : percent(point.deadShare)
      })])
    }
    rows.push(['churn: wall time', ...reports.map((r) => seconds(r.churnWallMs))])
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)))
  return rows.map((row) => row.map((cell, c) => c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)).join('  ')).join('\n')
}

function minOf (r: SimulationReport): string {
  return String(r.tableMin)
}

function pair (s: Summary): string {
  return `${ms(s.p50)} / ${ms(s.p95)}`
}

function ms (v: number | null): string {
  return v === null ? '-' : `${v.toFixed(0)} ms`
}

function seconds (v: number): string {
  return `${(v / 1000).toFixed(1)} s`
}

function kb (v: number): string {
  return `${(v / 1024).toFixed(1)} KiB`
}

function mb (v: number): string {
  return `${(v / 1024 / 1024).toFixed(0)} MiB`
}

function fixed (v: number | null, digits: number): string {
  return v === null ? '-' : v.toFixed(digits)
}

function percent (v: number): string {
  return `${(v * 100).toFixed(1)}%`
}

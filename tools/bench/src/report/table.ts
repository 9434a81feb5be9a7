import { IMPLS, LABELS, SHORT } from '../adapters/types.js'
import { floorPairsPerSecond, lookupFloors, MIN_LOOKUP_REQUESTS } from './floor.js'
import type { Figure, Goal, Results, Unit } from './results.js'

export function fmtValue (x: number | null, unit: Unit): string {
  if (x === null) return '-'
  switch (unit) {
    case 'ms': return x >= 1000 ? (x / 1000).toFixed(2) + ' s' : x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0) + ' ms'
    case 'share': return (100 * x).toFixed(x === 1 ? 0 : 1) + '%'
    case 'KB': return x.toFixed(0) + ' KB'
    case 'MB': return x.toFixed(0) + ' MB'
    case 'per-second': return (x >= 10_000 ? (x / 1000).toFixed(1) + 'k' : x.toFixed(x < 10 ? 1 : 0)) + '/s'
    case 'count': return x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)
  }
}

function fmtRatio (ours: number | null, ref: number | null): string {
  if (ours === null || ref === null || ref === 0) return '-'
  const r = ours / ref
  return (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)) + 'x'
}

const load = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(' ')

function table (rows: string[][], align: Array<'l' | 'r'>): string {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => align[i] === 'l' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)).join('  ').trimEnd()).join('\n')
}

/** The figures table: every figure for each implementation, and ours divided by each reference's. */
export function figuresTable (figures: Figure[]): string {
  const rows: string[][] = [['', SHORT.ours, SHORT.rc6, SHORT.v6, 'ours/rc.6', 'ours/v6', 'better']]
  let suite = ''
  for (const f of figures) {
    if (f.suite !== suite) {
      if (suite !== '') rows.push(['', '', '', '', '', '', ''])
      suite = f.suite
    }
    rows.push([
      f.label,
      ...IMPLS.map((k) => fmtValue(f.values[k], f.unit)),
      fmtRatio(f.values.ours, f.values.rc6),
      fmtRatio(f.values.ours, f.values.v6),
      f.better === null ? '' : f.better
    ])
  }
  return table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'l'])
}

export function goalsTable (goals: Goal[]): string {
  const rows = [['goal', 'measured', 'target', '', 'floor here (mean)']]
  for (const g of goals) {
    const m = g.measured === null ? '-' : g.kind === 'ours' ? g.measured.toFixed(1) + ' ms' : g.measured.toFixed(2) + 'x'
    const floor = g.floorMs === undefined ? '' : `${fmtValue(g.floorMs, 'ms')}${g.floorMs >= 100 ? ': out of reach' : ''}`
    rows.push([g.goal, m, `${g.kind === 'ours' ? '' : g.kind + ' '}${g.target}`, g.met === null ? 'no data' : g.met ? 'met' : 'MISSED', floor])
  }
  return table(rows, ['l', 'r', 'l', 'l', 'r'])
}

/** What the bare-UDP floor allows concurrent lookups on this machine (see suites/floor.ts). */
export function floorSection (r: Pick<Results, 'floor' | 'network' | 'meta'>): string[] {
  const pairs = floorPairsPerSecond(r)
  if (pairs === null) return []
  const run = r.floor.find((x) => x.ok)?.result
  const lines = [
    `what this machine allows any implementation: ${fmtValue(pairs, 'per-second')} request/reply pairs of bare UDP (median of ${r.floor.filter((x) => x.ok).length}),`,
    `with ${run?.sockets ?? '?'} answering sockets and the asker in one process on 127.0.0.1, find_node datagrams (${run?.requestBytes ?? '?'} and ${run?.replyBytes ?? '?'} bytes) and no DHT work;`,
    'C lookups of L requests each complete at most pairs/L a second, so their mean latency is at least C * L / pairs:'
  ]
  const floors = lookupFloors(r)
  if (floors.length === 0) return lines
  const rows = [['', ...IMPLS.map((k) => `${SHORT[k]}: L, mean >=`), `L = ${MIN_LOOKUP_REQUESTS} (one request to each of the k closest)`]]
  for (const f of floors) {
    rows.push([
      `${f.concurrency} concurrent lookups`,
      ...IMPLS.map((k) => {
        const x = f.byImpl[k]
        return x.requests === null || x.floorMs === null ? '-' : `${x.requests.toFixed(1)}, ${fmtValue(x.floorMs, 'ms')}`
      }),
      fmtValue(f.minimalFloorMs, 'ms')
    ])
  }
  return [...lines, table(rows, ['l', 'r', 'r', 'r', 'r'])]
}

export function report (r: Results): string {
  const m = r.meta
  const lines: string[] = []
  lines.push(`@dht benchmark${m.quick ? ' (--quick: smoke figures, not worth quoting)' : ''}, ${m.date}`)
  lines.push(`${m.command}`)
  lines.push(`node ${m.node}, ${m.platform}, ${m.cpus} x ${m.cpuModel}; load average ${load(m.loadavg.start)} at the start, ${load(m.loadavg.end)} at the end; ${(m.durationSeconds / 60).toFixed(1)} min`)
  lines.push(`git ${m.git.commit?.slice(0, 12) ?? 'unknown'}${m.git.uncommitted.length > 0 ? ` with uncommitted changes measured too in ${m.git.uncommitted.join(', ')}` : ''}`)
  lines.push(`${IMPLS.map((k) => `${SHORT[k]} = ${LABELS[k]} (${m.versions[k]})`).join(', ')}`)
  lines.push(`every network on 127.0.0.1 in a process of its own per implementation and repeat; medians of ${m.config.repeats} repeats, the implementations in rotated order`)
  lines.push('ratios are ours divided by the reference: below 1 is better where "better" says lower, above 1 where it says higher')
  const failed = [...r.join, ...r.network, ...r.churn, ...(r.codec === null ? [] : [r.codec]), ...r.floor.map((x) => ({ ...x, impl: 'floor' }))].filter((x) => !x.ok)
  if (failed.length > 0) lines.push(`FAILED RUNS: ${failed.map((f) => `${f.impl}${f.size !== undefined ? ` N=${f.size}` : ''} repeat ${f.repeat}: ${(f.error ?? '').split('\n')[0]}`).join('; ')}`)
  if (r.figures.length > 0) {
    lines.push('')
    lines.push(figuresTable(r.figures))
  }
  const capped = cappedRuns(r)
  if (capped.length > 0) {
    lines.push('')
    lines.push(`runs that hit their wall-clock cap (their figures count what completed by then): ${capped.join(', ')}`)
  }
  const floor = floorSection(r)
  if (floor.length > 0) {
    lines.push('')
    lines.push(...floor)
  }
  if (r.goals.length > 0) {
    lines.push('')
    lines.push(goalsTable(r.goals))
  }
  return lines.join('\n') + '\n'
}

function cappedRuns (r: Results): string[] {
  const out: string[] = []
  for (const rec of r.network) {
    const t = rec.result?.throughput
    if (t === undefined) continue
    for (const [kind, runs] of Object.entries(t)) {
      for (const run of runs as Array<{ capped: boolean, concurrency: number }>) {
        if (run.capped) out.push(`${SHORT[rec.impl]} ${kind} C=${run.concurrency} (repeat ${rec.repeat})`)
      }
    }
    const l = rec.result?.lookups
    if (l !== undefined && l.findNode.capped + l.custom.capped > 0) out.push(`${SHORT[rec.impl]} lookups: ${l.findNode.capped + l.custom.capped} capped (repeat ${rec.repeat})`)
  }
  for (const rec of r.churn) {
    const c = rec.result?.lookups.capped ?? 0
    if (c > 0) out.push(`${SHORT[rec.impl]} churn: ${c} of ${rec.result!.lookups.count} lookups capped (repeat ${rec.repeat})`)
  }
  return out
}

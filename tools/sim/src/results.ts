// The results directory: results.json (every report in full), table.txt (the printed table)
// and scaling.svg. With merge, sizes measured in earlier runs stay, so a long run of one size
// can be added to the others later.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { scalingChart } from './chart.js'
import { formatReports } from './report.js'
import type { SimulationReport } from './simulate.js'

/** A report with when and on which Node.js it was measured. */
export interface StoredReport extends SimulationReport {
  measured: { date: string, node: string }
}

interface ResultsFile {
  date: string
  node: string
  reports: Array<SimulationReport & { measured?: StoredReport['measured'] }>
}

/** Reports by network size, smallest first; a fresh report replaces a stored one of the same size. */
export function mergeReports (stored: readonly StoredReport[], fresh: readonly StoredReport[]): StoredReport[] {
  const bySize = new Map<number, StoredReport>()
  for (const r of [...stored, ...fresh]) bySize.set(r.options.nodes, r)
  return [...bySize.values()].sort((a, b) => a.options.nodes - b.options.nodes)
}

export function readResults (dir: string): StoredReport[] {
  const file = join(dir, 'results.json')
  if (!existsSync(file)) return []
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ResultsFile
  // files written before reports carried their own date take the file's
  return parsed.reports.map((r) => ({ ...r, measured: r.measured ?? { date: parsed.date, node: parsed.node } }))
}

/** Writes results.json, table.txt and scaling.svg; returns the table. */
export function writeResults (dir: string, reports: readonly StoredReport[]): string {
  mkdirSync(dir, { recursive: true })
  const table = formatReports(reports)
  const file: ResultsFile = { date: new Date().toISOString(), node: process.version, reports: [...reports] }
  writeFileSync(join(dir, 'results.json'), JSON.stringify(file, null, 2) + '\n')
  writeFileSync(join(dir, 'table.txt'), table + '\n')
  writeFileSync(join(dir, 'scaling.svg'), scalingChart(reports))
  return table
}

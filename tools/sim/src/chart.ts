// An SVG line chart of how a lookup's and a join's cost grow with N (log scale), next to
// log2(N) scaled to the first point: the shape Kademlia promises.

import type { SimulationReport } from './simulate.js'

interface Series {
  name: string
  color: string
  values: number[]
}

const WIDTH = 720
const HEIGHT = 420
const PAD = { left: 60, right: 190, top: 40, bottom: 50 }

export function scalingChart (reports: readonly SimulationReport[]): string {
  const sizes = reports.map((r) => r.join.nodes)
  const base = (values: number[]): number[] => values.map((v) => v / (values[0] || 1))
  const requests = reports.map((r) => r.lookups.requests.mean ?? 0)
  const series: Series[] = [
    { name: 'requests per lookup', color: '#1f77b4', values: base(requests) },
    { name: 'hops per lookup', color: '#2ca02c', values: base(reports.map((r) => r.lookups.hops.mean ?? 0)) },
    { name: 'lookup time p50 (sim)', color: '#ff7f0e', values: base(reports.map((r) => r.lookups.toFinish.p50 ?? 0)) },
    { name: 'datagrams per join', color: '#9467bd', values: base(reports.map((r) => r.join.datagramsPerJoin)) },
    { name: 'log2(N), scaled', color: '#888888', values: base(sizes.map((n) => Math.log2(n))) }
  ]
  const maxY = Math.max(1.5, ...series.flatMap((s) => s.values)) * 1.1
  const logMin = Math.log10(Math.min(...sizes))
  const logMax = Math.max(logMin + 1, Math.log10(Math.max(...sizes)))
  const x = (n: number): number => PAD.left + (Math.log10(n) - logMin) / (logMax - logMin) * (WIDTH - PAD.left - PAD.right)
  const y = (v: number): number => HEIGHT - PAD.bottom - v / maxY * (HEIGHT - PAD.top - PAD.bottom)

  const parts: string[] = []
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`)
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`)
  parts.push(`<text x="${PAD.left}" y="22" font-size="14">Cost against network size, relative to N = ${sizes[0]} (simulated network)</text>`)
  parts.push(`<line x1="${PAD.left}" y1="${y(0)}" x2="${WIDTH - PAD.right}" y2="${y(0)}" stroke="black"/>`)
  parts.push(`<line x1="${PAD.left}" y1="${y(0)}" x2="${PAD.left}" y2="${PAD.top}" stroke="black"/>`)
  for (const n of sizes) {
    parts.push(`<line x1="${x(n)}" y1="${y(0)}" x2="${x(n)}" y2="${y(0) + 5}" stroke="black"/>`)
    parts.push(`<text x="${x(n)}" y="${y(0) + 20}" text-anchor="middle">${n.toLocaleString('en')}</text>`)
  }
  for (let i = 0; i <= 4; i++) {
    const v = maxY * i / 4
    parts.push(`<text x="${PAD.left - 8}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}x</text>`)
    parts.push(`<line x1="${PAD.left}" y1="${y(v)}" x2="${WIDTH - PAD.right}" y2="${y(v)}" stroke="#eee"/>`)
  }
  parts.push(`<text x="${(PAD.left + WIDTH - PAD.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">nodes (log scale)</text>`)
  series.forEach((s, i) => {
    const points = s.values.map((v, j) => `${x(sizes[j]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ')
    const dash = s.name.startsWith('log2') ? ' stroke-dasharray="6 4"' : ''
    parts.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`)
    for (let j = 0; j < s.values.length; j++) parts.push(`<circle cx="${x(sizes[j]!).toFixed(1)}" cy="${y(s.values[j]!).toFixed(1)}" r="3" fill="${s.color}"/>`)
    const ly = PAD.top + 10 + i * 20
    parts.push(`<line x1="${WIDTH - PAD.right + 15}" y1="${ly}" x2="${WIDTH - PAD.right + 40}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`)
    parts.push(`<text x="${WIDTH - PAD.right + 46}" y="${ly + 4}">${escape(s.name)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}

function escape (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

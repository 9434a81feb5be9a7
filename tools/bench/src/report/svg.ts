/**
 * Hand-written SVG charts: panels of line or step (CDF) series, linear or log axes, a legend.
 * No dependencies; the output is standalone XML.
 */

export interface Series {
  name: string
  color: string
  /** [x, y] points; drawn in order. */
  points: Array<[number, number]>
  /** Draw as a step function (a CDF) rather than a polyline with markers. */
  step?: boolean
}

export interface Panel {
  title: string
  xLabel: string
  yLabel: string
  xLog?: boolean
  yLog?: boolean
  /** Tick positions on x (e.g. the measured concurrencies); default: computed. */
  xTicks?: number[]
  /** Format of tick labels. */
  xFormat?: (x: number) => string
  yFormat?: (y: number) => string
  /** Fixed y range (e.g. [0, 1] for a CDF). */
  yRange?: [number, number]
  /** Dashed reference lines across the panel (a goal), kept inside the y range. */
  hLines?: Array<{ y: number, label: string }>
  vLines?: Array<{ x: number, label: string }>
  series: Series[]
}

const W = 420
const H = 290
const M = { left: 64, right: 16, top: 34, bottom: 48 }

export function escapeXml (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

const fmtNum = (v: number): string => {
  const a = Math.abs(v)
  if (a === 0) return '0'
  if (a >= 1e6) return trim(v / 1e6) + 'M'
  if (a >= 1e4) return trim(v / 1e3) + 'k'
  if (a >= 100) return v.toFixed(0)
  if (a >= 1) return trim(v)
  return String(Number(v.toPrecision(2)))
}
const trim = (v: number): string => String(Number(v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)))

function niceTicks (lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo]
  const raw = (hi - lo) / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
  const ticks: number[] = []
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)))
  return ticks
}

function logTicks (lo: number, hi: number): number[] {
  const within = (mults: number[]): number[] => {
    const ticks: number[] = []
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of mults) {
        const t = Number((m * 10 ** e).toPrecision(6))
        if (t >= lo * 0.999 && t <= hi * 1.001) ticks.push(t)
      }
    }
    return ticks
  }
  let ticks = within([1, 2, 5])
  // too dense: powers of ten only; too sparse (a narrow range): every digit, then a linear step
  if (ticks.length > 8) ticks = ticks.filter((t) => Number.isInteger(Math.log10(t)))
  if (ticks.length < 3) ticks = within([1, 2, 3, 4, 5, 6, 7, 8, 9])
  if (ticks.length > 6) ticks = ticks.filter((_, i) => i % 2 === 0)
  if (ticks.length < 3) ticks = niceTicks(lo, hi, 4).filter((t) => t > 0)
  return ticks
}

function extent (values: number[], log: boolean): [number, number] {
  const v = values.filter((x) => Number.isFinite(x) && (!log || x > 0))
  if (v.length === 0) return log ? [1, 10] : [0, 1]
  let lo = Math.min(...v)
  let hi = Math.max(...v)
  if (log) {
    if (lo === hi) { lo /= 2; hi *= 2 }
    return [lo / 1.15, hi * 1.15]
  }
  if (lo === hi) { lo = lo === 0 ? 0 : lo * 0.9; hi = hi === 0 ? 1 : hi * 1.1 }
  if (lo > 0 && lo < hi * 0.5) lo = 0
  return [lo, hi + (hi - lo) * 0.05]
}

function panelSvg (p: Panel, ox: number, oy: number): string {
  const pw = W - M.left - M.right
  const ph = H - M.top - M.bottom
  const xs = [...p.series.flatMap((s) => s.points.map(([x]) => x)), ...(p.vLines ?? []).map((l) => l.x)]
  const ys = [...p.series.flatMap((s) => s.points.map(([, y]) => y)), ...(p.hLines ?? []).map((l) => l.y)]
  const [x0, x1] = p.xTicks !== undefined && p.xTicks.length > 1
    ? (p.xLog === true ? [Math.min(...p.xTicks) / 1.3, Math.max(...p.xTicks) * 1.3] : [Math.min(...p.xTicks), Math.max(...p.xTicks)])
    : extent(xs, p.xLog === true)
  const [y0, y1] = p.yRange ?? extent(ys, p.yLog === true)
  const tx = (x: number): number => {
    const f = p.xLog === true ? (Math.log(Math.max(x, x0)) - Math.log(x0)) / (Math.log(x1) - Math.log(x0)) : (x - x0) / (x1 - x0 || 1)
    return ox + M.left + Math.min(1, Math.max(0, f)) * pw
  }
  const ty = (y: number): number => {
    const f = p.yLog === true ? (Math.log(Math.max(y, y0)) - Math.log(y0)) / (Math.log(y1) - Math.log(y0)) : (y - y0) / (y1 - y0 || 1)
    return oy + M.top + ph - Math.min(1, Math.max(0, f)) * ph
  }
  const xfmt = p.xFormat ?? fmtNum
  const yfmt = p.yFormat ?? fmtNum
  const out: string[] = []
  out.push(`<g>`)
  out.push(`<text x="${ox + W / 2}" y="${oy + 20}" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(p.title)}</text>`)
  out.push(`<rect x="${ox + M.left}" y="${oy + M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`)
  const xTicks = p.xTicks ?? (p.xLog === true ? logTicks(x0, x1) : niceTicks(x0, x1))
  for (const t of xTicks) {
    const x = tx(t).toFixed(1)
    out.push(`<line x1="${x}" y1="${oy + M.top}" x2="${x}" y2="${oy + M.top + ph}" stroke="#eee"/>`)
    out.push(`<text x="${x}" y="${oy + M.top + ph + 14}" text-anchor="middle" font-size="10">${escapeXml(xfmt(t))}</text>`)
  }
  const yTicks = p.yLog === true ? logTicks(y0, y1) : niceTicks(y0, y1)
  for (const t of yTicks) {
    const y = ty(t).toFixed(1)
    out.push(`<line x1="${ox + M.left}" y1="${y}" x2="${ox + M.left + pw}" y2="${y}" stroke="#eee"/>`)
    out.push(`<text x="${ox + M.left - 4}" y="${Number(y) + 3}" text-anchor="end" font-size="10">${escapeXml(yfmt(t))}</text>`)
  }
  out.push(`<text x="${ox + M.left + pw / 2}" y="${oy + H - 14}" text-anchor="middle" font-size="11">${escapeXml(p.xLabel)}</text>`)
  out.push(`<text transform="translate(${ox + 14} ${oy + M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="11">${escapeXml(p.yLabel)}</text>`)
  for (const l of p.hLines ?? []) {
    const y = ty(l.y).toFixed(1)
    out.push(`<line x1="${ox + M.left}" y1="${y}" x2="${ox + M.left + pw}" y2="${y}" stroke="#d62728" stroke-dasharray="5 4"/>`)
    out.push(`<text x="${ox + M.left + 4}" y="${Number(y) - 4}" font-size="10" fill="#d62728">${escapeXml(l.label)}</text>`)
  }
  for (const l of p.vLines ?? []) {
    const x = tx(l.x).toFixed(1)
    out.push(`<line x1="${x}" y1="${oy + M.top}" x2="${x}" y2="${oy + M.top + ph}" stroke="#d62728" stroke-dasharray="5 4"/>`)
    out.push(`<text x="${Number(x) + 4}" y="${oy + M.top + 12}" font-size="10" fill="#d62728">${escapeXml(l.label)}</text>`)
  }
  for (const s of p.series) {
    if (s.points.length === 0) continue
    let d = ''
    if (s.step === true) {
      let prevY = ty(0)
      s.points.forEach(([x, y], i) => {
        const X = tx(x).toFixed(1)
        d += i === 0 ? `M${X},${prevY.toFixed(1)}` : ` L${X},${prevY.toFixed(1)}`
        prevY = ty(y)
        d += ` L${X},${prevY.toFixed(1)}`
      })
    } else {
      d = s.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${tx(x).toFixed(1)},${ty(y).toFixed(1)}`).join(' ')
    }
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"/>`)
    if (s.step !== true) {
      for (const [x, y] of s.points) out.push(`<circle cx="${tx(x).toFixed(1)}" cy="${ty(y).toFixed(1)}" r="2.8" fill="${s.color}"/>`)
    }
  }
  out.push(`</g>`)
  return out.join('\n')
}

/** A chart: a title, a legend, and panels in a grid. */
export function chart (title: string, subtitle: string, legend: Array<{ name: string, color: string }>, panels: Panel[], cols = 2): string {
  const rows = Math.ceil(panels.length / cols)
  const head = 56
  const width = W * Math.min(cols, panels.length)
  const height = head + rows * H
  const out: string[] = []
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`)
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`)
  out.push(`<rect width="100%" height="100%" fill="white"/>`)
  out.push(`<text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(title)}</text>`)
  out.push(`<text x="10" y="37" font-size="11" fill="#555">${escapeXml(subtitle)}</text>`)
  let lx = 10
  for (const l of legend) {
    out.push(`<rect x="${lx}" y="44" width="14" height="4" fill="${l.color}"/>`)
    out.push(`<text x="${lx + 18}" y="50" font-size="11">${escapeXml(l.name)}</text>`)
    lx += 30 + l.name.length * 6.5
  }
  panels.forEach((p, i) => out.push(panelSvg(p, (i % cols) * W, head + Math.floor(i / cols) * H)))
  out.push(`</svg>`)
  return out.join('\n') + '\n'
}

/** Samples as CDF points: x = value, y = share of samples at most x. */
export function cdf (samples: readonly number[]): Array<[number, number]> {
  const s = [...samples].filter(Number.isFinite).sort((a, b) => a - b)
  return s.map((x, i) => [x, (i + 1) / s.length])
}

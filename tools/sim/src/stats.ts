/** Summaries of samples; each returns null for none. */

export interface Summary {
  mean: number | null
  p50: number | null
  p95: number | null
  p99: number | null
  max: number | null
}

export function summarize (samples: readonly number[]): Summary {
  if (samples.length === 0) return { mean: null, p50: null, p95: null, p99: null, max: null }
  const s = [...samples].sort((a, b) => a - b)
  const at = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!
  let sum = 0
  for (const x of s) sum += x
  return { mean: sum / s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1]! }
}

export function ratio (part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole
}

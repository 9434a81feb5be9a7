/** Small statistics over samples; every function returns null for no samples. */

export function sorted (xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b)
}

/** Nearest-rank percentile, p in [0, 1]. */
export function percentile (xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null
  const s = sorted(xs)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!
}

export function median (xs: ReadonlyArray<number | null | undefined>): number | null {
  const s = sorted(xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)))
  if (s.length === 0) return null
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

export function mean (xs: readonly number[]): number | null {
  if (xs.length === 0) return null
  let sum = 0
  for (const x of xs) sum += x
  return sum / xs.length
}

export function max (xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => Math.max(a, b), -Infinity)
}

export interface Quantiles { p50: number | null, p95: number | null, p99: number | null, max: number | null }

export function quantiles (xs: readonly number[]): Quantiles {
  return { p50: percentile(xs, 0.5), p95: percentile(xs, 0.95), p99: percentile(xs, 0.99), max: max(xs) }
}

/** XOR distance order: negative when a is closer to target than b. */
export function compareXor (target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < target.length; i++) {
    const da = a[i]! ^ target[i]!
    const db = b[i]! ^ target[i]!
    if (da !== db) return da - db
  }
  return 0
}

/** The k ids closest to target by XOR distance, nearest first. */
export function trueClosest (target: Uint8Array, ids: readonly Uint8Array[], k: number): Uint8Array[] {
  return [...ids].sort((a, b) => compareXor(target, a, b)).slice(0, k)
}

const hex = (id: Uint8Array): string => Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex')

/** The share of `truth` found in `got` (1 when truth is empty). */
export function recall (truth: readonly Uint8Array[], got: readonly Uint8Array[]): number {
  if (truth.length === 0) return 1
  const seen = new Set(got.map(hex))
  let hits = 0
  for (const id of truth) if (seen.has(hex(id))) hits++
  return hits / truth.length
}

export function shuffled<T> (xs: readonly T[]): T[] {
  const s = [...xs]
  for (let i = s.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[s[i], s[j]] = [s[j]!, s[i]!]
  }
  return s
}

export function pick<T> (xs: readonly T[]): T {
  return xs[Math.floor(Math.random() * xs.length)]!
}

export const now = (): number => performance.now()
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Runtime checks on caller input, for callers that are not type-checked. */

import { NatError } from './errors.js'
import type { Address } from './types.js'

const MAX_PORT = 65535
const MAX_SAMPLE_SIZE = 1024 // analyze() sorts by insertion; far beyond the 16 anyone uses

export function checkAddress (value: unknown, what: string): asserts value is Address {
  if (typeof value !== 'object' || value === null) throw NatError.INVALID_ADDRESS(what, value)
  const { host, port } = value as { host?: unknown, port?: unknown }
  if (typeof host !== 'string') throw NatError.INVALID_HOST(what, host)
  if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > MAX_PORT) {
    throw NatError.INVALID_PORT(what, port)
  }
}

export function checkMinSamples (value: unknown): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < 1) throw NatError.INVALID_MIN_SAMPLES(value)
}

export function checkSampleSize (value: unknown): asserts value is number {
  const n = value as number
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLE_SIZE || (n & (n - 1)) !== 0) {
    throw NatError.INVALID_SAMPLE_SIZE(value)
  }
}

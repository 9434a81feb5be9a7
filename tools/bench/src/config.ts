import type { ImplKey } from './adapters/types.js'

export const SUITES = ['join', 'lookups', 'throughput', 'commit', 'codec', 'churn', 'floor'] as const
export type Suite = typeof SUITES[number]

export interface Config {
  /** Every measurement is repeated this often, the implementations in rotated order each time. */
  repeats: number
  join: {
    /** Networks of these sizes are joined one node after another, each in its own process. */
    sizes: number[]
  }
  /** The network the lookups, throughput and commit suites share (one per implementation and repeat). */
  network: {
    size: number
    /** Nodes joining at once while it is built (how it is built is not measured). */
    parallel: number
    /** Rest after it is built, before measuring. */
    settleMs: number
  }
  lookups: {
    /** Lookups of each kind, one after another, per run. */
    count: number
    capMs: number
  }
  throughput: {
    lookupConcurrency: number[]
    requestConcurrency: number[]
    /** Lookups per run: this many, and at least 8 per concurrent one. */
    lookupsPerRun: number
    /** Requests (or pings) per run: this many, and at least 8 per concurrent one. */
    requestsPerRun: number
    /** Wall-clock cap of one run; a capped run reports what it completed. */
    capMs: number
    /** Longest wait for the asker's requests to settle after a run (then it is destroyed). */
    drainCapMs: number
  }
  commit: {
    count: number
    capMs: number
  }
  churn: {
    size: number
    fraction: number
    settleMs: number
    /** Lookups of live nodes' ids from one survivor, one after another, right after the churn. */
    lookups: number
    capMs: number
  }
  codec: {
    rounds: number
    ms: number
  }
  /** Bare UDP request/reply pairs in the shape of the throughput suite (see suites/floor.ts). */
  floor: {
    /** Pairs per run. */
    pairs: number
    /** Requests kept in flight, one run each: the best rate is the floor. */
    windows: number[]
    capMs: number
  }
  /** A worker taking longer than this is killed and its run reported as failed. */
  workerTimeoutMs: number
}

export const FULL: Config = {
  repeats: 3,
  join: { sizes: [100, 500, 1000] },
  network: { size: 1000, parallel: 8, settleMs: 3000 },
  lookups: { count: 200, capMs: 20_000 },
  throughput: {
    lookupConcurrency: [1, 8, 32, 128],
    requestConcurrency: [1, 16, 64, 256],
    lookupsPerRun: 200,
    requestsPerRun: 4000,
    capMs: 20_000,
    drainCapMs: 15_000
  },
  commit: { count: 30, capMs: 20_000 },
  churn: { size: 200, fraction: 0.3, settleMs: 3000, lookups: 10, capMs: 15_000 },
  codec: { rounds: 7, ms: 300 },
  floor: { pairs: 100_000, windows: [16, 64, 256], capMs: 20_000 },
  workerTimeoutMs: 15 * 60_000
}

/** The smoke version: tiny networks, one repeat, no figure worth quoting. */
export const QUICK: Config = {
  repeats: 1,
  join: { sizes: [10, 20] },
  network: { size: 20, parallel: 8, settleMs: 100 },
  lookups: { count: 8, capMs: 3000 },
  throughput: {
    lookupConcurrency: [1, 8],
    requestConcurrency: [1, 16],
    lookupsPerRun: 16,
    requestsPerRun: 128,
    capMs: 3000,
    drainCapMs: 3000
  },
  commit: { count: 3, capMs: 3000 },
  churn: { size: 20, fraction: 0.3, settleMs: 100, lookups: 2, capMs: 1500 },
  codec: { rounds: 1, ms: 30 },
  floor: { pairs: 2000, windows: [16], capMs: 3000 },
  workerTimeoutMs: 60_000
}

/** What a worker process is asked to do. */
export type Task =
  | { kind: 'join', impl: ImplKey, size: number }
  | { kind: 'network', impl: ImplKey, suites: Array<'lookups' | 'throughput' | 'commit'>, config: Config }
  | { kind: 'churn', impl: ImplKey, config: Config }
  | { kind: 'codec', order: ImplKey[], config: Config }
  | { kind: 'floor', config: Config }

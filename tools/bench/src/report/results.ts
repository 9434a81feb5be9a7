import type { ImplKey } from '../adapters/types.js'
import type { Config, Suite } from '../config.js'
import type { ChurnRun } from '../suites/churn.js'
import type { CodecRun } from '../suites/codec.js'
import type { CommitRun } from '../suites/commit.js'
import type { FloorRun } from '../suites/floor.js'
import type { JoinRun } from '../suites/join.js'
import type { LookupsRun } from '../suites/lookups.js'
import type { ThroughputRun } from '../suites/throughput.js'

/** One worker's run. */
export interface RunRecord<R> {
  repeat: number
  impl: ImplKey
  /** Network size (join runs). */
  size?: number
  ok: boolean
  error?: string
  /** Load average (1, 5, 15 min) when the run ended. */
  loadavg: number[]
  seconds: number
  result?: R
}

/** A run that measures the machine, not an implementation. */
export type MachineRecord<R> = Omit<RunRecord<R>, 'impl'>

export interface NetworkResult {
  lookups?: LookupsRun
  commit?: CommitRun
  throughput?: ThroughputRun
}

export type Better = 'lower' | 'higher' | null
export type Unit = 'ms' | 'count' | 'KB' | 'MB' | 'share' | 'per-second'

/** One figure: the median over repeats for each implementation. */
export interface Figure {
  suite: Suite
  key: string
  label: string
  unit: Unit
  better: Better
  values: Record<ImplKey, number | null>
  /** Runs the median is over. */
  runs: Record<ImplKey, number>
}

export interface Goal {
  goal: string
  /** The measured figure the goal is checked on. */
  figure: string
  measured: number | null
  /** What is compared: a ratio of ours to a reference, or one of our figures. */
  kind: 'ratio to rc.6' | 'ratio to v6' | 'ours'
  target: string
  met: boolean | null
  /**
   * For a latency goal under load: the lowest mean latency this machine allows at our requests
   * per operation, from the bare-UDP floor (suites/floor.ts). A goal below it is out of reach
   * here for any implementation that sends as many requests.
   */
  floorMs?: number
}

export interface Results {
  meta: {
    date: string
    command: string
    node: string
    platform: string
    cpus: number
    cpuModel: string
    quick: boolean
    suites: Suite[]
    config: Config
    loadavg: { start: number[], end: number[] }
    durationSeconds: number
    versions: Record<ImplKey, string>
    /** The commit measured, and the paths under packages/ that differed from it (uncommitted work measured too). */
    git: { commit: string | null, uncommitted: string[] }
  }
  join: Array<RunRecord<JoinRun>>
  network: Array<RunRecord<NetworkResult>>
  churn: Array<RunRecord<ChurnRun>>
  codec: RunRecord<CodecRun> | null
  floor: Array<MachineRecord<FloorRun>>
  figures: Figure[]
  goals: Goal[]
}

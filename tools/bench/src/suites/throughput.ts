import { randomBytes } from 'node:crypto'
import type { BenchNode, Network } from '../adapters/types.js'
import type { Config } from '../config.js'
import { now, pick, quantiles } from '../stats.js'
import type { Quantiles } from '../stats.js'
import { drain } from './common.js'

/** One run: `concurrency` operations kept in flight (a finished one is replaced at once). */
export interface LoadRun {
  concurrency: number
  completed: number
  failed: number
  seconds: number
  /** Completed operations per second. */
  rate: number
  latency: Quantiles
  /** The run hit its wall-clock cap (its figures are what it completed by then). */
  capped: boolean
  /**
   * How long the asker took afterwards until nothing of it was in flight, and what was left
   * then; an asker with requests left is destroyed, so its backlog does not weigh on the next run.
   */
  drainMs: number
  leftInflight: number
  /** Request datagrams the asker sent per completed operation (re-sends included). */
  requestsPerOp: number | null
}

export interface ThroughputRun {
  lookups: LoadRun[]
  requests: LoadRun[]
  pings: LoadRun[]
}

interface Op { promise: Promise<unknown>, cancel: () => void }

function closedLoop (concurrency: number, total: number, capMs: number, start: () => Op): Promise<Omit<LoadRun, 'drainMs' | 'leftInflight' | 'requestsPerOp'>> {
  return new Promise((resolve) => {
    const latencies: number[] = []
    const live = new Set<Op>()
    const t0 = now()
    let started = 0
    let running = 0
    let failed = 0
    let capped = false
    let last = t0
    let resolved = false
    const finish = (): void => {
      if (resolved) return
      resolved = true
      clearTimeout(timer)
      const seconds = ((capped ? now() : last) - t0) / 1000
      resolve({ concurrency, completed: latencies.length, failed, seconds, rate: seconds > 0 ? latencies.length / seconds : 0, latency: quantiles(latencies), capped })
    }
    const timer = setTimeout(() => {
      capped = true
      for (const op of live) op.cancel()
      finish()
    }, capMs)
    const launch = (): void => {
      while (running < concurrency && started < total && !capped) {
        started++
        running++
        const t = now()
        const op = start()
        live.add(op)
        op.promise.then(() => {
          if (capped) return
          last = now()
          latencies.push(last - t)
        }, () => { if (!capped) failed++ }).finally(() => {
          live.delete(op)
          running--
          if (capped) return
          if (running === 0 && started >= total) finish()
          else launch()
        })
      }
    }
    launch()
  })
}

/**
 * One node running C lookups at once (random targets, find_node), then C custom-command
 * requests and C pings at once to random live nodes. Each run has a fresh asker, so no run
 * inherits the politeness window of the one before; after a run its asker's requests settle
 * (bounded wait) before the next starts.
 */
export async function runThroughput (net: Network, askers: BenchNode[], config: Config, log: (line: string) => void): Promise<ThroughputRun> {
  const t = config.throughput
  let next = 0
  const run = async (c: number, total: number, op: (asker: BenchNode) => Op): Promise<LoadRun> => {
    const asker = askers[next++ % askers.length]!
    const sent0 = asker.requestsSent()
    const r = await closedLoop(c, total, t.capMs, () => op(asker))
    const requestsPerOp = r.completed > 0 ? (asker.requestsSent() - sent0) / r.completed : null
    const d = await drain(asker, t.drainCapMs)
    // a backlog that does not drain would go on using the CPU under the next runs: end it
    if (d.left > 0) await asker.destroy()
    return { ...r, drainMs: d.drainMs, leftInflight: d.left, requestsPerOp }
  }
  const lookup = (asker: BenchNode): Op => {
    const q = asker.lookup(randomBytes(32), 'find_node')
    return { promise: q.finished(), cancel: () => q.destroy() }
  }
  const peers = (asker: BenchNode): BenchNode[] => net.nodes.filter((n) => n !== asker && n.alive)
  const request = (asker: BenchNode): Op => ({ promise: asker.request(pick(peers(asker)).peer), cancel: () => {} })
  const ping = (asker: BenchNode): Op => ({ promise: asker.ping(pick(peers(asker)).peer), cancel: () => {} })

  // warm-up, not recorded: the code paths compiled, and the run after it starts from a settled asker
  await run(8, 64, lookup)
  await run(16, 256, ping)

  const lookups: LoadRun[] = []
  const requests: LoadRun[] = []
  const pings: LoadRun[] = []
  for (const c of t.lookupConcurrency) {
    const r = await run(c, Math.max(t.lookupsPerRun, 8 * c), lookup)
    log(`lookups C=${c}: ${r.rate.toFixed(0)}/s p99 ${fmt(r.latency.p99)}${r.capped ? ' (capped)' : ''}`)
    lookups.push(r)
  }
  for (const c of t.requestConcurrency) {
    const r = await run(c, Math.max(t.requestsPerRun, 8 * c), request)
    log(`requests C=${c}: ${r.rate.toFixed(0)}/s p99 ${fmt(r.latency.p99)}${r.failed > 0 ? ` ${r.failed} failed` : ''}${r.capped ? ' (capped)' : ''}`)
    requests.push(r)
  }
  for (const c of t.requestConcurrency) {
    const r = await run(c, Math.max(t.requestsPerRun, 8 * c), ping)
    log(`pings C=${c}: ${r.rate.toFixed(0)}/s p99 ${fmt(r.latency.p99)}${r.failed > 0 ? ` ${r.failed} failed` : ''}${r.capped ? ' (capped)' : ''}`)
    pings.push(r)
  }
  return { lookups, requests, pings }
}

const fmt = (ms: number | null): string => ms === null ? '-' : `${ms.toFixed(1)} ms`

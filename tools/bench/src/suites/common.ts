import type { BenchNode, Implementation, LookupKind, Network } from '../adapters/types.js'
import { now, quantiles, recall, sleep, trueClosest } from '../stats.js'
import type { Quantiles } from '../stats.js'

/** Starts a network and joins `size` persistent nodes, `parallel` at a time. */
export async function buildNetwork (impl: Implementation, size: number, parallel: number): Promise<Network> {
  const net = await impl.start(size)
  try {
    for (let joined = 0; joined < size; joined += parallel) {
      await Promise.all(Array.from({ length: Math.min(parallel, size - joined) }, () => net.join()))
    }
  } catch (err) {
    await net.destroy()
    throw err
  }
  return net
}

/** Memory after forced garbage collections (needs --expose-gc; without it, as is). */
export async function settledMemory (): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) {
    gc()
    await sleep(50)
    gc()
  }
  return process.memoryUsage()
}

export const gcAvailable = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function'

/** One lookup, measured. */
export interface LookupSample {
  /** ms from start to end (to the cap when capped). */
  ms: number
  /** Request datagrams the asker sent while it ran. */
  requests: number
  /** Whether the target node itself replied (null: the target is no node). */
  found: boolean | null
  /** ms from start to the target's own reply, null when it never came or there is no target node. */
  targetReplyMs: number | null
  /** Share of the true 20 closest live nodes (XOR) among its closest replies. */
  recall: number
  capped: boolean
  error: string | null
}

export const K = 20

export function oneLookup (net: Network, asker: BenchNode, target: Uint8Array, kind: LookupKind, capMs: number, targetNode: BenchNode | null = null, commit = false): Promise<LookupSample> {
  return new Promise((resolve) => {
    const r0 = asker.requestsSent()
    const t0 = now()
    let targetReplyMs: number | null = null
    let settled = false
    const q = asker.lookup(target, kind, { commit })
    if (targetNode !== null) {
      q.onReply((reply) => {
        if (targetReplyMs === null && reply.from.port === targetNode.peer.port && reply.from.host === targetNode.peer.host) targetReplyMs = now() - t0
      })
    }
    const done = (capped: boolean, error: string | null): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      const ms = now() - t0
      const truth = trueClosest(target, net.routingIds().filter((id) => !Buffer.from(id).equals(Buffer.from(asker.id))), K)
      resolve({
        ms,
        requests: asker.requestsSent() - r0,
        found: targetNode === null ? null : targetReplyMs !== null,
        targetReplyMs,
        recall: recall(truth, safeClosest()),
        capped,
        error
      })
    }
    const safeClosest = (): Uint8Array[] => {
      try { return q.closestIds() } catch { return [] }
    }
    const timer = setTimeout(() => {
      done(true, null)
      q.destroy()
    }, capMs)
    q.finished().then(() => done(false, null), (err: unknown) => done(false, err instanceof Error ? err.message : String(err)))
  })
}

/** A summary of lookup samples. */
export interface LookupSummary {
  count: number
  latency: Quantiles
  requests: { mean: number | null, p50: number | null }
  /** Share of lookups that got the target's own reply (null when lookups had no target node). */
  success: number | null
  targetReply: Quantiles
  recall: number | null
  capped: number
  errors: number
}

export function summarizeLookups (samples: readonly LookupSample[]): LookupSummary {
  const withTarget = samples.filter((s) => s.found !== null)
  const ok = samples.filter((s) => !s.capped && s.error === null)
  const mean = (xs: number[]): number | null => xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
  return {
    count: samples.length,
    latency: quantiles(samples.map((s) => s.ms)),
    requests: { mean: mean(samples.map((s) => s.requests)), p50: quantiles(samples.map((s) => s.requests)).p50 },
    success: withTarget.length === 0 ? null : withTarget.filter((s) => s.found === true).length / withTarget.length,
    targetReply: quantiles(samples.map((s) => s.targetReplyMs).filter((x): x is number => x !== null)),
    recall: mean(ok.map((s) => s.recall)),
    capped: samples.filter((s) => s.capped).length,
    errors: samples.filter((s) => s.error !== null).length
  }
}

/** Waits (bounded) until the node has nothing in flight. */
export async function drain (node: BenchNode, capMs: number): Promise<{ drainMs: number, left: number }> {
  const t0 = now()
  while (node.inflight() > 0 && now() < t0 + capMs) await sleep(20)
  return { drainMs: now() - t0, left: node.inflight() }
}

export const round2 = (x: number): number => Math.round(x * 100) / 100

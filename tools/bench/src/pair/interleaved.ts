/**
 * Lookups in 1000 nodes on loopback, this build against another, lookup by lookup: each round
 * is a fresh process that builds one network of each build (1000 nodes each, on loopback, at
 * the same time) and then runs its lookups alternately on one and on the other, from one node
 * of each: find_node of an existing node's id, a custom command at a random target, and the
 * custom command with commit, one at a time (latency); then bursts of find_node lookups at
 * random targets, 8 and 32 kept in flight (throughput, lookups a second). The machine's
 * drift, which moves a whole run by up to 2x here, then falls on both builds alike, and each
 * build's lookups run while both networks' background traffic does. Which build goes first
 * alternates from one lookup to the next and from one round to the next (the network built
 * first, too).
 *
 * Prints, for each round, each build's median latency (or throughput) and their ratio A/B,
 * and the median of the rounds' ratios (each round has two new networks, whose shapes differ:
 * the rounds average that out). With the same build on both sides it shows what the method
 * itself gives.
 *
 *   node tools/bench/dist/src/pair/interleaved.js --vs <other checkout, built> [--rounds 4] [--lookups 200]
 *     [--nodes 1000] [--bursts 10]
 *
 * The other checkout needs its own tools/bench built (any commit since the bench existed).
 */
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { BenchNode, Implementation, Network } from '../adapters/types.js'
import { median, now, pick, sleep } from '../stats.js'
import type { LookupSample } from '../suites/common.js'

const PARALLEL = 8
const SETTLE_MS = 3000
const CAP_MS = 20_000
const KINDS = ['find_node', 'custom', 'commit'] as const
const BURSTS = [8, 32] as const // lookups kept in flight
const BURST_LOOKUPS = 64 // lookups a burst
type Kind = typeof KINDS[number] | `${typeof BURSTS[number]} in flight`
type Side = 'A' | 'B'
type RoundResult = Record<Side, Partial<Record<Kind, number[]>>>

// lookups a second of `total` find_node lookups at random targets, `width` kept in flight
function burst (asker: BenchNode, width: number, total: number): Promise<number> {
  return new Promise((resolveBurst, reject) => {
    const t0 = now()
    let started = 0
    let done = 0
    const launch = (): void => {
      while (started - done < width && started < total) {
        started++
        asker.lookup(randomBytes(32), 'find_node').finished().then(() => {
          if (++done === total) resolveBurst(total / ((now() - t0) / 1000))
          else launch()
        }, reject)
      }
    }
    launch()
  })
}

interface Build {
  readonly impl: Implementation
  readonly buildNetwork: (impl: Implementation, size: number, parallel: number) => Promise<Network>
  readonly oneLookup: (net: Network, asker: BenchNode, target: Uint8Array, kind: 'find_node' | 'custom', capMs: number, targetNode?: BenchNode | null, commit?: boolean) => Promise<LookupSample>
}

async function load (root: string): Promise<Build> {
  const adapters = await import(pathToFileURL(`${root}/tools/bench/dist/src/adapters/index.js`).href) as { loadImplementation: (key: 'ours') => Promise<Implementation> }
  const common = await import(pathToFileURL(`${root}/tools/bench/dist/src/suites/common.js`).href) as Pick<Build, 'buildNetwork' | 'oneLookup'>
  return { impl: await adapters.loadImplementation('ours'), buildNetwork: common.buildNetwork, oneLookup: common.oneLookup }
}

// one round, in this process: both networks, the lookups interleaved
interface Sizes {
  /** Nodes in each network. */
  readonly nodes: number
  /** Lookups of each kind one at a time, on each build. */
  readonly lookups: number
  /** Bursts of each width, on each build. */
  readonly bursts: number
}

async function round (roots: Record<Side, string>, index: number, sizes: Sizes): Promise<RoundResult> {
  const order: Side[] = index % 2 === 0 ? ['A', 'B'] : ['B', 'A']
  const builds = { A: await load(roots.A), B: await load(roots.B) }
  const nets: Partial<Record<Side, Network>> = {}
  try {
    for (const side of order) nets[side] = await builds[side].buildNetwork(builds[side].impl, sizes.nodes, PARALLEL)
    await sleep(SETTLE_MS)
    const result: RoundResult = { A: {}, B: {} }
    const record = (side: Side, kind: Kind, x: number): void => { (result[side][kind] ??= []).push(x) }
    const askers = { A: nets.A!.nodes[0]!, B: nets.B!.nodes[0]! }
    let turn = index
    for (const kind of KINDS) {
      for (let i = 0; i < sizes.lookups; i++) {
        for (const side of turn++ % 2 === 0 ? ['A', 'B'] as const : ['B', 'A'] as const) {
          const net = nets[side]!
          const asker = askers[side]
          const { oneLookup } = builds[side]
          let sample: LookupSample
          if (kind === 'find_node') {
            const target = pick(net.nodes.filter((n) => n !== asker))
            sample = await oneLookup(net, asker, target.id, 'find_node', CAP_MS, target)
          } else {
            sample = await oneLookup(net, asker, randomBytes(32), 'custom', CAP_MS, null, kind === 'commit')
          }
          if (sample.error !== null || sample.capped) throw new Error(`${side} ${kind}: ${sample.error ?? 'capped'}`)
          record(side, kind, sample.ms)
        }
      }
    }
    for (const width of BURSTS) {
      for (let i = 0; i < sizes.bursts; i++) {
        for (const side of turn++ % 2 === 0 ? ['A', 'B'] as const : ['B', 'A'] as const) {
          record(side, `${width} in flight`, await burst(askers[side], width, BURST_LOOKUPS))
        }
      }
    }
    return result
  } finally {
    for (const side of order) await nets[side]?.destroy()
  }
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      vs: { type: 'string' },
      rounds: { type: 'string', default: '4' },
      lookups: { type: 'string', default: '200' },
      nodes: { type: 'string', default: '1000' },
      bursts: { type: 'string', default: '10' },
      round: { type: 'string' }
    }
  })
  const rounds = Number(values.rounds)
  const sizes: Sizes = { nodes: Number(values.nodes), lookups: Number(values.lookups), bursts: Number(values.bursts) }
  const counts = [rounds, sizes.nodes, sizes.lookups, sizes.bursts]
  if (values.vs === undefined || !counts.every((n) => Number.isInteger(n) && n > 0) || sizes.nodes < 2) {
    process.stderr.write('usage: interleaved.js --vs <other checkout> [--rounds 4] [--lookups 200] [--nodes 1000] [--bursts 10]\n')
    process.exit(2)
  }
  const roots: Record<Side, string> = { A: resolve(fileURLToPath(import.meta.url), '../../../../../..'), B: resolve(values.vs) }

  if (values.round !== undefined) { // a child: one round, its samples to the parent
    process.send!(await round(roots, Number(values.round), sizes))
    return
  }

  const results: RoundResult[] = []
  for (let i = 0; i < rounds; i++) {
    const child = fork(fileURLToPath(import.meta.url), ['--vs', roots.B, '--lookups', String(sizes.lookups), '--nodes', String(sizes.nodes), '--bursts', String(sizes.bursts), '--round', String(i)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    results.push(await new Promise<RoundResult>((resolveRound, reject) => {
      child.once('message', (m: RoundResult) => { resolveRound(m) })
      child.once('exit', (code) => { reject(new Error(`round ${i + 1} exited with ${String(code)} before replying`)) })
    }))
    process.stderr.write(`round ${i + 1}/${rounds} done\n`)
  }

  console.log(`A = ${roots.A}\nB = ${roots.B}\n${rounds} rounds, ${sizes.nodes} nodes a network on loopback, both builds interleaved: ${sizes.lookups} lookups of each kind one at a time (p50 latency, ms; lower is better), ${sizes.bursts} bursts of ${BURST_LOOKUPS} lookups at each width (median lookups a second; higher is better)`)
  const kinds: Kind[] = [...KINDS, ...BURSTS.map((w) => `${w} in flight` as const)]
  for (const kind of kinds) {
    const of = (r: RoundResult, side: Side): number[] => r[side][kind] ?? []
    const ratios = results.map((r) => median(of(r, 'A'))! / median(of(r, 'B'))!)
    const perRound = results.map((r, i) => `${median(of(r, 'A'))!.toFixed(2)}/${median(of(r, 'B'))!.toFixed(2)}=${ratios[i]!.toFixed(3)}`).join(' ')
    const pooledA = median(results.flatMap((r) => of(r, 'A')))!
    const pooledB = median(results.flatMap((r) => of(r, 'B')))!
    const label = (KINDS as readonly string[]).includes(kind) ? `${kind} p50` : kind
    console.log(`${label.padEnd(14)} A/B median of rounds ${median(ratios)!.toFixed(3)}, pooled ${pooledA.toFixed(2)}/${pooledB.toFixed(2)} = ${(pooledA / pooledB).toFixed(3)}; rounds A/B: ${perRound}`)
  }
}

await main()

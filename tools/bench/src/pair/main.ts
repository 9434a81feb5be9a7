/**
 * Lookups in 1000 nodes on loopback, this build against another, in turn: each run is the
 * bench's own network task for @dht/rpc (a fresh process, the network built, the lookups and
 * commit suites run, as `pnpm bench` does), this tree's and then the other tree's, `--pairs`
 * times. Prints each build's medians and the ratio A/B taken pair by pair: the machine's
 * drift, which moves a single run by up to 2x here, is the same within a pair.
 *
 *   node tools/bench/dist/src/pair/main.js --vs <other checkout, built> [--pairs 6]
 *
 * The other checkout needs its own tools/bench built (any commit since the bench existed).
 */
import { fork } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import { median } from '../stats.js'
import type { WorkerResult } from '../worker.js'

const { values } = parseArgs({ options: { vs: { type: 'string' }, pairs: { type: 'string', default: '6' } } })
const pairs = Number(values.pairs)
if (values.vs === undefined || !(Number.isInteger(pairs) && pairs > 0)) {
  process.stderr.write('usage: main.js --vs <other checkout> [--pairs N]\n')
  process.exit(2)
}
const here = resolve(fileURLToPath(import.meta.url), '../../../../../..')
const roots = { A: here, B: resolve(values.vs) }

const FIGURES = ['find_node p50', 'find_node p99', 'custom p50', 'custom p99', 'commit p50', 'commit p99'] as const
type Figures = Record<typeof FIGURES[number], number>

interface Latency { p50: number, p99: number }
interface NetworkResult { lookups: { findNode: { latency: Latency }, custom: { latency: Latency } }, commit: { latency: Latency } }

async function runOnce (root: string): Promise<Figures> {
  const { FULL } = await import(pathToFileURL(`${root}/tools/bench/dist/src/config.js`).href) as { FULL: Config }
  const child = fork(`${root}/tools/bench/dist/src/worker.js`, [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] })
  const reply = await new Promise<WorkerResult>((resolveReply, reject) => {
    child.once('message', (m: WorkerResult) => { resolveReply(m) })
    child.once('exit', (code) => { reject(new Error(`${root}: worker exited with ${String(code)} before replying`)) })
    child.send({ kind: 'network', impl: 'ours', suites: ['lookups', 'commit'], config: structuredClone(FULL) })
  })
  if (!reply.ok) throw new Error(`${root}: ${reply.error ?? 'failed'}`)
  const r = reply.result as NetworkResult
  return {
    'find_node p50': r.lookups.findNode.latency.p50,
    'find_node p99': r.lookups.findNode.latency.p99,
    'custom p50': r.lookups.custom.latency.p50,
    'custom p99': r.lookups.custom.latency.p99,
    'commit p50': r.commit.latency.p50,
    'commit p99': r.commit.latency.p99
  }
}

const runs: { A: Figures[], B: Figures[] } = { A: [], B: [] }
for (let i = 0; i < pairs; i++) {
  for (const side of i % 2 === 0 ? ['A', 'B'] as const : ['B', 'A'] as const) {
    runs[side].push(await runOnce(roots[side]))
    process.stderr.write(`pair ${i + 1}/${pairs} ${side} done\n`)
  }
}
console.log(`A = ${roots.A}\nB = ${roots.B}\n${pairs} pairs, lookups in 1000 nodes on loopback (ms)`)
for (const f of FIGURES) {
  const a = runs.A.map((x) => x[f])
  const b = runs.B.map((x) => x[f])
  const ratios = a.map((x, i) => x / b[i]!)
  const aFirst = ratios.filter((_, i) => i % 2 === 0)
  const bFirst = ratios.filter((_, i) => i % 2 === 1)
  const byOrder = bFirst.length === 0 ? '' : `; A first ${median(aFirst)!.toFixed(3)}, B first ${median(bFirst)!.toFixed(3)}`
  console.log(`${f.padEnd(14)} A ${median(a)!.toFixed(2).padStart(6)}  B ${median(b)!.toFixed(2).padStart(6)}  A/B pair by pair ${median(ratios)!.toFixed(3)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}${byOrder}): ${ratios.map((r) => r.toFixed(2)).join(' ')}`)
}

/**
 * The @dht benchmark: @dht/rpc, dht-rpc@5.0.0-rc.6 and dht-rpc@6 measured in the same run,
 * alternating, medians over repeats, every network on loopback in a process of its own.
 *
 *   pnpm bench [--quick] [--only join,lookups,throughput,commit,codec,churn] [--repeats N] [--out DIR] [--json]
 *
 * Prints a table of every figure with our ratio to each reference and the issue's goals,
 * and writes results.json (every run's raw figures, the medians and the goals), table.txt
 * and SVG charts to --out (default tools/bench/results for a full run, tools/bench/.bench
 * for --quick or --only). Progress goes to stderr; --json prints the JSON to stdout.
 */
import { execFileSync, fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { IMPLS, SHORT } from './adapters/types.js'
import type { ImplKey } from './adapters/types.js'
import { FULL, QUICK, SUITES } from './config.js'
import type { Config, Suite, Task } from './config.js'
import { charts } from './report/charts.js'
import { computeFigures, computeGoals } from './report/figures.js'
import type { MachineRecord, NetworkResult, Results, RunRecord } from './report/results.js'
import { report } from './report/table.js'
import type { ChurnRun } from './suites/churn.js'
import type { CodecRun } from './suites/codec.js'
import type { FloorRun } from './suites/floor.js'
import type { JoinRun } from './suites/join.js'
import type { WorkerResult } from './worker.js'

const here = dirname(fileURLToPath(import.meta.url))
const benchDir = resolve(here, '..', '..')
const workerPath = join(here, 'worker.js')

const USAGE = `Usage: pnpm bench [--quick] [--only ${SUITES.join(',')}] [--repeats N] [--out DIR] [--json]

Measures @dht/rpc, dht-rpc 5.0.0-rc.6 and dht-rpc 6 in the same run (about 22 minutes in full).
  --quick      small networks and short runs (about 20 s; the CI smoke test)
  --only S     only these suites, comma-separated
  --repeats N  repeats per implementation (default 3; medians are reported)
  --out DIR    where results.json, table.txt and the charts go
               (default tools/bench/results for a full run, tools/bench/.bench otherwise)
  --json       print the JSON results instead of the table
  --help`

function usageError (message: string): never {
  process.stderr.write(`bench: ${message} (see --help)\n`)
  process.exit(2)
}

let parsed
try {
  parsed = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      repeats: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false }
    }
  })
} catch (err) {
  usageError((err as Error).message)
}
const args = parsed.values
if (args.help) {
  console.log(USAGE)
  process.exit(0)
}

const suites: Suite[] = args.only === undefined ? [...SUITES] : args.only.split(',').map((s) => s.trim()).filter((s) => s !== '') as Suite[]
for (const s of suites) if (!(SUITES as readonly string[]).includes(s)) usageError(`--only: unknown suite ${s} (known: ${SUITES.join(', ')})`)
const config: Config = structuredClone(args.quick ? QUICK : FULL)
if (args.repeats !== undefined) {
  const n = Number(args.repeats)
  if (!Number.isInteger(n) || n < 1) usageError(`--repeats must be a positive integer, got ${args.repeats}`)
  config.repeats = n
}
const partial = args.quick || args.only !== undefined || args.repeats !== undefined
const outDir = resolve(args.out ?? (partial ? join(benchDir, '.bench') : join(benchDir, 'results')))

const log = (line: string): void => { process.stderr.write(line + '\n') }
const rotate = <T>(xs: readonly T[], n: number): T[] => xs.map((_, i) => xs[(i + n) % xs.length]!)
const loadStr = (): string => loadavg().map((x) => x.toFixed(2)).join(' ')

function runWorker<R> (task: Task): Promise<{ ok: boolean, result?: R, error?: string, loadavg: number[], seconds: number }> {
  return new Promise((resolvePromise) => {
    const t0 = performance.now()
    const child = fork(workerPath, [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
    child.stdout?.pipe(process.stderr)
    let reply: WorkerResult | null = null
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, config.workerTimeoutMs)
    child.on('message', (m: WorkerResult) => { reply = m })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const seconds = (performance.now() - t0) / 1000
      const r = reply as WorkerResult | null
      if (r !== null && r.ok) resolvePromise({ ok: true, result: r.result as R, loadavg: r.loadavg, seconds })
      else {
        const error = timedOut ? `killed after ${config.workerTimeoutMs / 1000} s` : r?.error ?? `worker exited with ${signal ?? code}`
        resolvePromise({ ok: false, error, loadavg: loadavg(), seconds })
      }
    })
    child.send(task)
  })
}

function record<R> (repeat: number, impl: ImplKey, r: Awaited<ReturnType<typeof runWorker<R>>>, size?: number): RunRecord<R> {
  return { repeat, impl, ...(size !== undefined ? { size } : {}), ok: r.ok, ...(r.error !== undefined ? { error: r.error } : {}), loadavg: r.loadavg, seconds: Math.round(r.seconds * 10) / 10, ...(r.result !== undefined ? { result: r.result } : {}) }
}

function gitState (): { commit: string | null, uncommitted: string[] } {
  const git = (...a: string[]): string | null => {
    try {
      return execFileSync('git', a, { cwd: benchDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    } catch {
      return null
    }
  }
  const status = git('status', '--porcelain', '--', ':/packages')
  return {
    commit: git('rev-parse', 'HEAD')?.trim() ?? null,
    uncommitted: status === null ? [] : status.split('\n').filter((l) => l.trim() !== '').map((l) => l.slice(3))
  }
}

const fmtS = (ms: number): string => (ms / 1000).toFixed(2) + ' s'
const fail = (r: { error?: string }): string => `FAILED: ${(r.error ?? '').split('\n')[0]}`

async function main (): Promise<void> {
  const start = loadavg()
  const t0 = performance.now()
  const date = new Date().toISOString()
  const git = gitState()
  log(`@dht benchmark${args.quick ? ' --quick' : ''}: ${suites.join(', ')}; ${config.repeats} repeat(s); load average ${loadStr()}; writing to ${outDir}`)

  const joinRuns: Array<RunRecord<JoinRun>> = []
  const networkRuns: Array<RunRecord<NetworkResult>> = []
  const churnRuns: Array<RunRecord<ChurnRun>> = []
  let codecRun: RunRecord<CodecRun> | null = null
  const floorRuns: Array<MachineRecord<FloorRun>> = []

  if (suites.includes('codec')) {
    log(`codec: ${config.codec.rounds} rounds of ${config.codec.ms} ms, alternating`)
    const r = await runWorker<CodecRun>({ kind: 'codec', order: [...IMPLS], config })
    codecRun = record(0, 'ours', r)
    if (!r.ok) log(`  ${fail(r)}`)
  }

  const networkSuites = (['lookups', 'throughput', 'commit'] as const).filter((s) => suites.includes(s))
  for (let rep = 0; rep < config.repeats; rep++) {
    if (suites.includes('join')) {
      for (const [i, size] of config.join.sizes.entries()) {
        for (const impl of rotate(IMPLS, rep + i)) {
          const r = await runWorker<JoinRun>({ kind: 'join', impl, size })
          joinRuns.push(record(rep, impl, r, size))
          log(`join N=${size} ${SHORT[impl]} (repeat ${rep + 1}): ${r.ok && r.result !== undefined ? `${fmtS(r.result.wallMs)}, ${r.result.cpuPerJoinMs.toFixed(2)} ms CPU and ${r.result.packetsPerJoin.toFixed(0)} packets per join, ${r.result.rssPerNodeKB.toFixed(0)} KB per node, peak ${r.result.peakRssMB.toFixed(0)} MB` : fail(r)}; load ${loadStr()}`)
        }
      }
    }
    if (suites.includes('floor')) {
      const r = await runWorker<FloorRun>({ kind: 'floor', config })
      const { impl: _, ...machine } = record(rep, 'ours', r)
      floorRuns.push(machine)
      log(`floor (repeat ${rep + 1}): ${r.ok && r.result !== undefined ? `${r.result.pairsPerSecond.toFixed(0)} bare UDP request/reply pairs per second (${r.result.windows.map((w) => `${w.window} in flight: ${w.pairsPerSecond.toFixed(0)}/s`).join(', ')})` : fail(r)}; load ${loadStr()}`)
    }
    if (networkSuites.length > 0) {
      for (const impl of rotate(IMPLS, rep)) {
        log(`${networkSuites.join(', ')} in ${config.network.size} nodes, ${SHORT[impl]} (repeat ${rep + 1})`)
        const r = await runWorker<NetworkResult>({ kind: 'network', impl, suites: [...networkSuites], config })
        networkRuns.push(record(rep, impl, r))
        const l = r.result?.lookups
        if (!r.ok) log(`  ${fail(r)}`)
        else if (l !== undefined) log(`  find_node p50 ${l.findNode.latency.p50?.toFixed(2)} ms, ${l.findNode.requests.mean?.toFixed(1)} requests, target ${((l.findNode.success ?? 0) * 100).toFixed(0)}%, recall ${((l.findNode.recall ?? 0) * 100).toFixed(0)}%; custom p50 ${l.custom.latency.p50?.toFixed(2)} ms; ${r.seconds.toFixed(0)} s; load ${loadStr()}`)
      }
    }
    if (suites.includes('churn')) {
      for (const impl of rotate(IMPLS, rep)) {
        log(`churn ${config.churn.size} nodes, ${SHORT[impl]} (repeat ${rep + 1})`)
        const r = await runWorker<ChurnRun>({ kind: 'churn', impl, config })
        churnRuns.push(record(rep, impl, r))
        if (!r.ok) log(`  ${fail(r)}`)
      }
    }
  }

  const require = createRequire(import.meta.url)
  const version = (name: string): string => (require(`${name}/package.json`) as { version: string }).version
  const base: Omit<Results, 'figures' | 'goals'> = {
    meta: {
      date,
      command: `node --expose-gc tools/bench/dist/src/main.js ${process.argv.slice(2).join(' ')}`.trim(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      quick: args.quick,
      suites,
      config,
      loadavg: { start, end: loadavg() },
      durationSeconds: Math.round((performance.now() - t0) / 1000),
      versions: { ours: version('@dht/rpc'), rc6: version('dht-rpc'), v6: version('dht-rpc-v6') },
      git
    },
    join: joinRuns,
    network: networkRuns,
    churn: churnRuns,
    codec: codecRun,
    floor: floorRuns
  }
  const figures = computeFigures(base)
  const results: Results = { ...base, figures, goals: computeGoals(figures, base) }
  const text = report(results)

  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 1) + '\n')
  writeFileSync(join(outDir, 'table.txt'), text)
  const svgs = charts(results)
  for (const [name, svg] of Object.entries(svgs)) writeFileSync(join(outDir, name), svg)
  log(`wrote ${['results.json', 'table.txt', ...Object.keys(svgs)].map((f) => join(outDir, f)).join(', ')}`)

  if (args.json) process.stdout.write(JSON.stringify(results, null, 1) + '\n')
  else process.stdout.write('\n' + text)
  const failed = [...joinRuns, ...networkRuns, ...churnRuns, ...floorRuns, ...(codecRun === null ? [] : [codecRun])].some((r) => !r.ok)
  if (failed) process.exitCode = 1
}

await main()

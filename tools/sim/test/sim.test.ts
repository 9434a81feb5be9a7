import test from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simulate } from '../src/simulate.js'
import { mergeReports, readResults, writeResults } from '../src/results.js'
import type { StoredReport } from '../src/results.js'
import type { SimulationOptions, SimulationReport } from '../src/simulate.js'

const small: SimulationOptions = {
  nodes: 200,
  lookups: 15,
  churn: 0.3,
  recoveryMinutes: [1, 10],
  latency: { min: 5, max: 150 },
  loss: 0,
  growth: 0.25,
  minWave: 50,
  maxWave: null,
  seed: 7
}

// what depends only on the simulation, not on the machine running it
function simulated (r: SimulationReport): unknown {
  return { join: { ...r.join, wallMs: 0, gcMs: 0, heapPerNodeBytes: 0, rssBytes: 0 }, table: r.table, lookups: r.lookups, churn: r.churn }
}

test('a small network joins, finds every target, and drops dead nodes from its tables', async () => {
  const report = await simulate(small)
  assert.equal(report.join.nodes, 200)
  assert.ok(report.table.mean! >= 20, `tables hold at least k nodes on average (${report.table.mean})`)
  assert.equal(report.lookups.exact, small.lookups, 'every lookup found its target first')
  assert.ok(report.lookups.recall > 0.9, `recall ${report.lookups.recall}`)
  assert.ok(report.lookups.hops.mean! >= 1)
  const churn = report.churn!
  assert.equal(churn.killed, Math.floor(0.3 * 199))
  // a live target can be unknown to every live node right after the kill (all that knew it died)
  assert.ok(churn.lookups.exact >= 0.8 * small.lookups, `lookups after the kill found their live target first: ${churn.lookups.exact} of ${small.lookups}`)
  assert.ok(churn.lookups.recall > 0.85, `recall after the kill ${churn.lookups.recall}`)
  const [atKill, , later] = churn.recovery
  assert.ok(atKill!.deadShare > 0.1, 'right after the kill the tables are full of dead nodes')
  assert.equal(later!.deadShare, 0, 'ten simulated minutes later none are left (the documented bound)')
})

test('the same seed gives the same simulation, event for event', async () => {
  const a = await simulate({ ...small, nodes: 80, lookups: 5, recoveryMinutes: [1] })
  const b = await simulate({ ...small, nodes: 80, lookups: 5, recoveryMinutes: [1] })
  assert.deepEqual(simulated(a), simulated(b))
})

test('a network split over worker threads joins, finds its targets, and repeats itself for the same seed', async () => {
  const opts = { ...small, nodes: 150, lookups: 10, recoveryMinutes: [1, 10], workers: 2 }
  const a = await simulate(opts)
  assert.equal(a.join.nodes, 150)
  assert.equal(a.lookups.exact, opts.lookups, 'every lookup found its target first')
  assert.ok(a.lookups.recall > 0.9, `recall ${a.lookups.recall}`)
  assert.equal(a.churn!.killed, Math.floor(0.3 * 149))
  assert.equal(a.churn!.recovery.at(-1)!.deadShare, 0, 'dead nodes leave the tables of both partitions')
  const b = await simulate(opts)
  assert.deepEqual(simulated(a), simulated(b))
})

test('lookups started together in batches find their targets, on one thread and on two', async () => {
  for (const workers of [1, 2]) {
    // 14 lookups in batches of 4: three full batches and one of 2
    const report = await simulate({ ...small, nodes: 120, lookups: 14, lookupsAtOnce: 4, churn: 0, recoveryMinutes: [], workers })
    assert.equal(report.lookups.lookups, 14)
    assert.ok(report.lookups.requests.mean! >= 20, `each lookup asked at least k nodes (workers: ${workers})`)
    assert.equal(report.lookups.exact, 14, `every lookup found its target first (workers: ${workers})`)
    assert.ok(report.lookups.recall > 0.9, `recall ${report.lookups.recall} (workers: ${workers})`)
  }
})

test('a batch of no lookups is refused, not looped on', async () => {
  await assert.rejects(simulate({ ...small, nodes: 30, lookups: 2, lookupsAtOnce: 0, churn: 0, recoveryMinutes: [] }), RangeError)
})

test('maxWave caps each join wave', async () => {
  // 120 nodes after the bootstrap node; waves would be 50 (minWave), capped at 30
  const report = await simulate({ ...small, nodes: 121, lookups: 2, churn: 0, recoveryMinutes: [], maxWave: 30 })
  assert.equal(report.join.nodes, 121)
  assert.equal(report.join.waves, 4)
})

test('merged results keep the sizes a run did not measure and replace the ones it did', async () => {
  const report = await simulate({ ...small, nodes: 30, lookups: 2, churn: 0, recoveryMinutes: [] })
  const at = (nodes: number, date: string): StoredReport => ({ ...report, options: { ...report.options, nodes }, measured: { date, node: 'v20' } })
  const dir = await mkdtemp(join(tmpdir(), 'dht-sim-'))
  try {
    writeResults(dir, [at(1000, 'old'), at(10000, 'old')])
    const merged = mergeReports(readResults(dir), [at(100000, 'new'), at(1000, 'new')])
    assert.deepEqual(merged.map((r) => [r.options.nodes, r.measured.date]), [[1000, 'new'], [10000, 'old'], [100000, 'new']])
    const table = writeResults(dir, merged)
    assert.equal(await readFile(join(dir, 'table.txt'), 'utf8'), table + '\n')
    assert.match(await readFile(join(dir, 'scaling.svg'), 'utf8'), /^<svg/)
    assert.deepEqual(readResults(dir).map((r) => r.options.nodes), [1000, 10000, 100000])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('pnpm sim --quick prints the report table', async () => {
  const main = fileURLToPath(new URL('../src/main.js', import.meta.url))
  const { stdout } = await run(main, ['--quick', '--no-out', '--lookups', '5'])
  for (const row of ['join: datagrams per join', 'lookup: hops mean / max', 'lookup: recall of true 20', 'dead table entries after 5 min']) {
    assert.match(stdout, new RegExp(row.replace(/[/]/g, '\\/')), row)
  }
})

test('bad options exit 2 with one line naming the option', async () => {
  const main = fileURLToPath(new URL('../src/main.js', import.meta.url))
  const result = await run(main, ['--churn', '2']).catch((err: { code: number, stderr: string }) => err)
  assert.equal((result as { code: number }).code, 2)
  assert.match((result as { stderr: string }).stderr, /--churn must be between 0 and 1/)
  const merge = await run(main, ['--no-out', '--merge']).catch((err: { code: number, stderr: string }) => err)
  assert.equal((merge as { code: number }).code, 2)
  assert.match((merge as { stderr: string }).stderr, /--merge needs an output directory/)
})

function run (file: string, args: string[]): Promise<{ stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [file, ...args], { timeout: 120_000 }, (err, stdout, stderr) => {
      if (err !== null) reject(Object.assign(err, { stdout, stderr }))
      else resolve({ stdout, stderr })
    })
  })
}

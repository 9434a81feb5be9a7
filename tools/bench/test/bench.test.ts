// Smoke test of the benchmark: every suite on tiny networks, one repeat. It checks the shape
// of what comes out (every implementation has every figure, the JSON, the table, the SVG
// charts), never a timing: figures from networks of 20 nodes on a busy CI machine mean nothing.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { IMPLS } from '../src/adapters/types.js'
import { QUICK, SUITES } from '../src/config.js'
import type { Results } from '../src/report/results.js'

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.js')

// figures that may honestly be missing in a tiny run: no churn lookup may have reached its target
const MAY_BE_NULL = new Set(['churn.targetReply.p50'])

function run (args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

test('pnpm bench --quick: every implementation, every suite, JSON, table and SVG charts', { timeout: 120_000 }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'dht-bench-'))
  t.after(() => rmSync(out, { recursive: true, force: true }))
  const { code, stdout, stderr } = await run(['--quick', '--json', '--out', out])
  assert.equal(code, 0, `the benchmark failed:\n${stderr}`)

  const results = JSON.parse(stdout) as Results
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), results, 'results.json is what --json printed')
  assert.equal(results.meta.quick, true)
  assert.deepEqual(results.meta.suites, [...SUITES])
  assert.equal(results.meta.loadavg.start.length, 3)

  // every worker run succeeded, for every implementation
  for (const impl of IMPLS) {
    assert.deepEqual(results.join.filter((r) => r.impl === impl && r.ok).map((r) => r.size).sort((a, b) => a! - b!), QUICK.join.sizes, `${impl}: a join run per size`)
    assert.equal(results.network.filter((r) => r.impl === impl && r.ok).length, QUICK.repeats, `${impl}: the network suites ran`)
    assert.equal(results.churn.filter((r) => r.impl === impl && r.ok).length, QUICK.repeats, `${impl}: the churn suite ran`)
  }
  assert.equal(results.codec?.ok, true)
  assert.equal(results.floor.length, QUICK.repeats, 'a floor run per repeat')
  for (const f of results.floor) {
    assert.equal(f.ok, true, `the floor run failed: ${f.error ?? ''}`)
    assert.ok(f.result!.pairsPerSecond > 0, 'the floor measured some pairs')
    assert.equal(f.result!.windows.length, QUICK.floor.windows.length)
    assert.ok(f.result!.requestBytes > 0 && f.result!.replyBytes > f.result!.requestBytes, 'find_node request and reply sizes')
  }

  // every suite has figures, and every figure has a value for every implementation
  for (const suite of SUITES) if (suite !== 'floor') assert.ok(results.figures.some((f) => f.suite === suite), `figures of ${suite}`)
  for (const f of results.figures) {
    for (const impl of IMPLS) {
      const v = f.values[impl]
      if (v === null && MAY_BE_NULL.has(f.key)) continue
      assert.ok(typeof v === 'number' && Number.isFinite(v), `${f.key}: ${impl} has ${String(v)}`)
    }
  }
  for (const key of ['join.20.wallMs', 'join.20.rssPerNodeKB', 'lookups.findNode.recall', 'lookups.custom.requests', 'throughput.lookups.8.rate', 'throughput.pings.16.p99', 'commit.commitsPerQuery', 'codec.reply20', 'churn.finished.max']) {
    assert.ok(results.figures.some((f) => f.key === key), `figure ${key}`)
  }
  assert.ok(results.goals.length > 0)
  for (const g of results.goals) assert.ok(g.met === null || typeof g.met === 'boolean')
  // the floor puts a bound on each latency goal under load, from our requests per lookup
  const p99Goals = results.goals.filter((g) => /^throughput\.lookups\.\d+\.p99$/.test(g.figure))
  assert.ok(p99Goals.length > 0)
  for (const g of p99Goals) assert.ok(typeof g.floorMs === 'number' && g.floorMs > 0, `${g.goal}: a floor`)
  for (const run of results.network) {
    for (const l of run.result?.throughput?.lookups ?? []) assert.ok(l.requestsPerOp === null || l.requestsPerOp >= 1, 'requests per lookup')
  }

  const table = readFileSync(join(out, 'table.txt'), 'utf8')
  assert.match(table, /ours\/rc\.6/)
  assert.match(table, /ours\/v6/)
  assert.match(table, /request\/reply pairs of bare UDP/)

  for (const name of ['join.svg', 'latency.svg', 'throughput.svg']) {
    const svg = readFileSync(join(out, name), 'utf8')
    assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, name)
    assert.ok(svg.trimEnd().endsWith('</svg>'), `${name} ends with </svg>`)
    assert.equal(svg.match(/<g>/g)?.length, svg.match(/<\/g>/g)?.length, `${name}: balanced groups`)
    assert.doesNotMatch(svg, /&(?!amp;|lt;|gt;|quot;)/, `${name}: no unescaped &`)
    assert.doesNotMatch(svg, /NaN|undefined/, `${name}: no NaN or undefined`)
    assert.ok((svg.match(/<path /g)?.length ?? 0) >= IMPLS.length, `${name}: a curve per implementation`)
  }
})

// dht-rpc node --metrics serves the node's stats and health in Prometheus' text format, and
// dht-rpc status reads them back for a person.
import test from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { once } from 'node:events'
import { createTestnet } from '@dht/rpc/testnet'
import { LOOPBACK } from '../helpers.js'
import { dhtRpc, startDhtRpc } from './helpers.js'

interface Sample { name: string, labels: Record<string, string>, value: number }

// The text format read on its own terms here, not with the CLI's reader that status uses.
function parse (text: string): { samples: Sample[], types: Map<string, string>, helps: Set<string> } {
  const samples: Sample[] = []
  const types = new Map<string, string>()
  const helps = new Set<string>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const meta = /^# (HELP|TYPE) (\S+) (.+)$/.exec(line)
    if (meta !== null) {
      if (meta[1] === 'TYPE') types.set(meta[2]!, meta[3]!)
      else helps.add(meta[2]!)
      continue
    }
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line)
    assert.ok(m !== null, `a sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)) labels[k!] = v!
    samples.push({ name: m[1]!, labels, value: Number(m[3]) })
  }
  return { samples, types, helps }
}

function value (samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value
}

test('node --metrics serves stats and health at /metrics, and status prints them', async (t) => {
  const testnet = await createTestnet(4, { host: LOOPBACK })
  t.after(() => testnet.destroy())
  const node = startDhtRpc(t, ['node', '--bootstrap', `${LOOPBACK}:${testnet.bootstrap[0]!.port}`, '--host', LOOPBACK, '--persistent', '--metrics', `${LOOPBACK}:0`])
  const port = Number((await node.waitFor(/listening on 127\.0\.0\.1:(\d+)/))[1])
  const metricsPort = Number((await node.waitFor(/metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics\n/))[1])
  await node.waitFor(/ready: joined the DHT/)

  const pings = 5
  for (let i = 0; i < pings; i++) await testnet.nodes[1]!.ping({ host: LOOPBACK, port })

  const res = await fetch(`http://${LOOPBACK}:${metricsPort}/metrics`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/)
  const { samples, types, helps } = parse(await res.text())

  assert.ok(value(samples, 'dht_requests_received_total', { command: 'ping' })! >= pings, 'the pings we sent, counted under command="ping"')
  assert.ok(value(samples, 'dht_replies_sent_total', { command: 'ping' })! >= pings)
  assert.ok(value(samples, 'dht_requests_sent_total', { command: 'find_node' })! > 0, 'joining looked itself up')
  assert.ok(value(samples, 'dht_replies_received_total', { command: 'find_node' })! > 0)
  assert.ok(value(samples, 'dht_sent_bytes_total', { command: 'find_node' })! > 0)
  for (const command of ['ping', 'ping_nat', 'find_node']) assert.notEqual(value(samples, 'dht_timeouts_total', { command }), undefined, `built-in ${command} is always there`)
  assert.equal(value(samples, 'dht_health', { state: 'online' }), 1)
  assert.equal(value(samples, 'dht_health', { state: 'offline' }), 0)
  assert.ok(value(samples, 'dht_table_size')! >= 1)
  assert.ok(value(samples, 'dht_round_trip_samples')! >= 1)
  const p50 = value(samples, 'dht_round_trip_seconds', { quantile: '0.5' })!
  const p99 = value(samples, 'dht_round_trip_seconds', { quantile: '0.99' })!
  assert.ok(p50 > 0 && p50 <= p99 && p99 < 10, `round trips in seconds: p50 ${p50}, p99 ${p99}`)
  for (const s of samples) assert.ok(Number.isFinite(s.value) && s.value >= 0, `${s.name} ${s.value}`)
  for (const name of new Set(samples.map((s) => s.name))) {
    assert.ok(helps.has(name), `${name} has HELP`)
    assert.equal(types.get(name), name.endsWith('_total') ? 'counter' : 'gauge', name)
  }

  const notFound = await fetch(`http://${LOOPBACK}:${metricsPort}/`)
  assert.equal(notFound.status, 404)
  await notFound.text()

  const shown = await dhtRpc(t, ['status', `${LOOPBACK}:${metricsPort}`])
  assert.equal(shown.code, 0, shown.stderr)
  assert.match(shown.stdout, new RegExp(`^node at 127\\.0\\.0\\.1:${metricsPort}: online\\n`))
  assert.match(shown.stdout, /routing table +\d+ nodes?, \d+ lookups running, \d+ requests in flight/)
  assert.match(shown.stdout, /round trips +p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms/)
  assert.match(shown.stdout, /^ +command +sent +replies +timeouts/m)
  assert.match(shown.stdout, /^ +ping( +\d+){7}/m)
  assert.match(shown.stdout, /^ +find_node( +\d+){7}/m)

  const json = await dhtRpc(t, ['status', `${LOOPBACK}:${metricsPort}`, '--json'])
  assert.equal(json.code, 0, json.stderr)
  const parsed = JSON.parse(json.stdout) as { health: string, tableSize: number, commands: Array<{ command: string, requestsReceived: number }> }
  assert.equal(parsed.health, 'online')
  assert.ok(parsed.commands.find((c) => c.command === 'ping')!.requestsReceived >= pings)

  const { code, stderr } = await node.stop('SIGINT')
  assert.equal(code, 0, stderr)
  await assert.rejects(fetch(`http://${LOOPBACK}:${metricsPort}/metrics`), 'the metrics server is closed with the node')
})

test('status fails with exit 1 when nothing serves metrics there, or something else does', async (t) => {
  const server = createServer((_req, res) => res.end('hello\n'))
  server.listen(0, LOOPBACK)
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port
  const other = await dhtRpc(t, ['status', `${LOOPBACK}:${port}`])
  await new Promise((resolve) => server.close(resolve))
  assert.equal(other.code, 1)
  assert.match(other.stderr, /^dht-rpc status: http:\/\/127\.0\.0\.1:\d+\/metrics is not the metrics of a dht-rpc node/)

  const closed = await dhtRpc(t, ['status', `${LOOPBACK}:${port}`])
  assert.equal(closed.code, 1)
  assert.match(closed.stderr, /^dht-rpc status: cannot fetch http:\/\/127\.0\.0\.1:\d+\/metrics: /)
  assert.equal(closed.stdout, '')
})

test('node --metrics and status take HOST:PORT, or exit 2', async (t) => {
  for (const [args, message] of [
    [['node', '--bootstrap', '127.0.0.1:1', '--metrics', 'nonsense'], /bad --metrics "nonsense": expected IPv4-address:port/],
    [['node', '--bootstrap', '127.0.0.1:1', '--metrics', 'localhost:9090'], /bad --metrics/],
    [['status'], /missing HOST:PORT/],
    [['status', '127.0.0.1'], /bad address/]
  ] as const) {
    const { code, stderr } = await dhtRpc(t, args)
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`)
    assert.match(stderr, message)
  }
})

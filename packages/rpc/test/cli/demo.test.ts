import test from 'node:test'
import assert from 'node:assert/strict'
import { dhtRpc, lines, startDhtRpc } from './helpers.js'

test('demo --nodes 30 builds the network, stores the value from one node and finds it from another', async (t) => {
  const { code, stdout, stderr } = await dhtRpc(t, ['demo', '--nodes', '30'])
  assert.equal(code, 0, stderr)
  assert.match(stdout, /bootstrap node on 127\.0\.0\.1:\d+\n/)
  assert.match(stdout, /joining 30\/30/, 'plain progress lines when stdout is not a terminal')
  assert.doesNotMatch(stdout, /\x1b\[/, 'no terminal escapes in a pipe')
  assert.match(stdout, /30 nodes joined in [\d.]+ m?s; each knows \d+ to \d+ others/)
  assert.match(stdout, /2\. Storing "hello from dht-rpc" from node 127\.0\.0\.1:\d+\n {3}key [0-9a-f]{64}/)
  assert.match(stdout, /asked \d+ nodes, \d+ answered; committed to the 20 closest\n {3}20 nodes stored it, in [\d.]+ m?s/)
  assert.match(stdout, /3\. Finding it from node 127\.0\.0\.1:\d+\n {3}asked \d+ nodes?, \d+ answered; 127\.0\.0\.1:\d+ had it\n {3}found "hello from dht-rpc" in/)
  assert.match(stdout, /4\. Stopping: 31 nodes destroyed/)
  assert.match(stdout, /done in [\d.]+ m?s: the value was found\n$/)
  assert.equal(stderr, '')
})

test('demo --json prints one JSON summary and nothing else', async (t) => {
  const { code, stdout, stderr } = await dhtRpc(t, ['demo', '--nodes', '30', '--value', 'from the test', '--json'])
  assert.equal(code, 0, stderr)
  assert.equal(lines(stdout).length, 1, stdout)
  const summary = JSON.parse(stdout) as {
    nodes: number
    bootstrap: string
    join: { ms: number, table: { min: number, max: number, mean: number } }
    put: { from: string, key: string, value: string, asked: number, replies: number, committed: number, stored: number, ms: number }
    get: { from: string, found: boolean, holder: { host: string, port: number }, asked: number, replies: number, ms: number }
    destroy: { ms: number }
    ms: number
  }
  assert.equal(summary.nodes, 30)
  assert.match(summary.bootstrap, /^127\.0\.0\.1:\d+$/)
  assert.ok(summary.join.table.min >= 1 && summary.join.table.min <= summary.join.table.max)
  assert.equal(summary.put.value, 'from the test')
  assert.match(summary.put.key, /^[0-9a-f]{64}$/)
  assert.ok(summary.put.replies >= 20 && summary.put.asked >= summary.put.replies)
  assert.equal(summary.put.committed, 20)
  assert.equal(summary.put.stored, 20)
  assert.equal(summary.get.found, true)
  assert.equal(summary.get.holder.host, '127.0.0.1')
  assert.notEqual(summary.get.from, summary.put.from)
  assert.ok(summary.get.replies >= 1 && summary.get.asked >= summary.get.replies)
  assert.ok(summary.ms >= summary.join.ms + summary.put.ms + summary.get.ms)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`demo stops cleanly on ${signal} while the nodes join`, async (t) => {
    const demo = startDhtRpc(t, ['demo', '--nodes', '1000'])
    await demo.waitFor(/joining \d+\/1000/)
    const { code, stderr } = await demo.stop(signal)
    assert.equal(code, 0, stderr)
    assert.equal(stderr, `stopping (${signal})\n`)
  })
}

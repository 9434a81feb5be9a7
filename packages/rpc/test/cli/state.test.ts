import test from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { createTestnet } from '@dht/rpc/testnet'
import { readState } from '../../dist/cli/state-file.js'
import { LOOPBACK } from '../helpers.js'
import { dhtRpc, lines, startDhtRpc } from './helpers.js'

async function tempFile (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dht-rpc-state-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return join(dir, 'state.json')
}

function escape (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

async function savedPorts (file: string): Promise<number[]> {
  const state = await readState(file)
  assert.ok(state !== null, `${file} was saved`)
  return state.nodes.map((node) => { assert.equal(node.host, LOOPBACK); return node.port })
}

test('node --state saves its table when ready and on exit, and restarts from it with every bootstrap node down', async (t) => {
  const testnet = await createTestnet(4, { host: LOOPBACK })
  t.after(() => testnet.destroy())
  const bootstrap = `${LOOPBACK}:${testnet.bootstrap[0]!.port}`
  const file = await tempFile(t)
  const args = ['node', '--state', file, '--bootstrap', bootstrap, '--host', LOOPBACK, '--persistent']

  // first run: no file yet, a fresh start through the bootstrap node
  const first = startDhtRpc(t, args)
  await first.waitFor(new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] state: no file at ${escape(file)} yet: a fresh start through the bootstrap nodes\\n`), undefined, 'stderr')
  await first.waitFor(/ready: joined the DHT, \d+ nodes? in the routing table/)
  // saved once ready, while it runs
  await first.waitFor(new RegExp(`state: saved \\d+ nodes? to ${escape(file)}\\n`))
  const running = await savedPorts(file)
  for (const peer of testnet.nodes.slice(1)) assert.ok(running.includes(peer.address()!.port), `${peer.address()!.port} saved while running`)
  const stopped = await first.stop('SIGTERM')
  assert.equal(stopped.code, 0, stopped.stderr)
  assert.match(stopped.stdout, new RegExp(`state: saved ${running.length} nodes to ${escape(file)}\\n$`), 'saved again on exit')

  // while it is down, a node joins; then every bootstrap node goes down
  const late = await testnet.createNode()
  const latePort = late.address()!.port
  await testnet.nodes[0]!.destroy()

  const second = startDhtRpc(t, args)
  await second.waitFor(new RegExp(`state: ${running.length} nodes from ${escape(file)} \\(saved \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)\\n`))
  await second.waitFor(new RegExp(`joining through ${escape(bootstrap)} and ${running.length} saved nodes\\n`))
  // only the saved nodes can have told it about the late node: it joined through them
  await second.waitFor(new RegExp(`\\+ 127\\.0\\.0\\.1:${latePort} joined the routing table`))
  await second.waitFor(/ready: joined the DHT, \d+ nodes in the routing table/)
  await second.waitFor(/now persistent, id [0-9a-f]{64}\n/)
  const again = await second.stop('SIGTERM')
  assert.equal(again.code, 0, again.stderr)
  assert.doesNotMatch(again.stderr, /Bootstrap failed/, 'a saved node answered the first lookup')
  assert.ok((await savedPorts(file)).includes(latePort), 'the late node is saved on exit')
})

test('node --state whose saved nodes are all gone still joins through the bootstrap nodes', async (t) => {
  const testnet = await createTestnet(3, { host: LOOPBACK })
  t.after(() => testnet.destroy())
  const file = await tempFile(t)
  // more than a routing table's k (20) nodes, none of them there
  const gone = Array.from({ length: 25 }, (_, i) => ({ host: LOOPBACK, port: i + 1 }))
  await writeFile(file, JSON.stringify({ version: 1, savedAt: '2024-05-01T12:00:00.000Z', nodes: gone }))
  const node = startDhtRpc(t, ['node', '--state', file, '--bootstrap', `${LOOPBACK}:${testnet.bootstrap[0]!.port}`, '--host', LOOPBACK])
  await node.waitFor(/state: 25 nodes from .* \(saved 2024-05-01T12:00:00\.000Z\)\n/)
  await node.waitFor(/joining through \S+ and 19 saved nodes\n/)
  for (const peer of testnet.nodes.slice(1)) await node.waitFor(new RegExp(`\\+ 127\\.0\\.0\\.1:${peer.address()!.port} joined the routing table`))
  await node.waitFor(/ready: joined the DHT/)
  const { code, stderr } = await node.stop('SIGTERM')
  assert.equal(code, 0, stderr)
  assert.doesNotMatch(stderr, /Bootstrap failed/, 'the bootstrap node answered the first lookup')
})

test('node --state with a file it cannot read exits 2 naming the file, and leaves the file alone', async (t) => {
  const file = await tempFile(t)
  await writeFile(file, '{"version": 2, "savedAt": "2024-05-01T12:00:00.000Z", "nodes": []}')
  const { code, stdout, stderr } = await dhtRpc(t, ['node', '--state', file, '--bootstrap', '127.0.0.1:1', '--host', LOOPBACK])
  assert.equal(code, 2, stderr)
  assert.equal(stdout, '')
  assert.equal(lines(stderr).length, 1, stderr)
  assert.match(stderr, new RegExp(`^dht-rpc node: bad --state file ${escape(JSON.stringify(file))}: version 2 .*remove it to start afresh \\(see dht-rpc node --help\\)\\n$`))
  assert.equal(await readFile(file, 'utf8'), '{"version": 2, "savedAt": "2024-05-01T12:00:00.000Z", "nodes": []}')
})

test('node --help documents --state', async (t) => {
  const { stdout } = await dhtRpc(t, ['node', '--help'])
  assert.match(stdout, /--state FILE/)
})

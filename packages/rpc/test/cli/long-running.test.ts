import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import DHT from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { portIsFree } from '../spawn.js'
import { LOOPBACK } from '../helpers.js'
import { lines, startDhtRpc } from './helpers.js'

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`bootstrap serves until ${signal}, then exits 0 and frees its port`, async (t) => {
    const bootstrap = startDhtRpc(t, ['bootstrap', '--port', '0', '--host', LOOPBACK])
    const [, port1, port2] = await bootstrap.waitFor(/^bootstrap node listening on 127\.0\.0\.1:(\d+)\njoin with: dht-rpc node --bootstrap 127\.0\.0\.1:(\d+)\n/)
    const port = Number(port1)
    assert.equal(port2, port1)

    const node = new DHT({ ephemeral: false, bootstrap: [`${LOOPBACK}:${port}`], host: LOOPBACK })
    t.after(() => node.destroy())
    const reply = await node.ping({ host: LOOPBACK, port })
    assert.equal(reply.id, null, 'a bootstrap node is ephemeral')

    const { code, stderr } = await bootstrap.stop(signal)
    assert.equal(code, 0, stderr)
    assert.equal(stderr, `stopping (${signal})\n`)
    assert.ok(await portIsFree(LOOPBACK, port), `port ${port} is free again`)
  })
}

test('bootstrap --port P fails with exit 1 when P is taken, rather than take another port', async (t) => {
  const taken = dgram.createSocket('udp4')
  taken.bind(0, LOOPBACK)
  await once(taken, 'listening')
  t.after(() => taken.close())
  const port = taken.address().port
  const bootstrap = startDhtRpc(t, ['bootstrap', '--port', String(port), '--host', LOOPBACK])
  const { code, stdout, stderr } = await bootstrap.exited
  assert.equal(code, 1)
  assert.equal(stdout, '')
  assert.equal(stderr, `dht-rpc bootstrap: port ${port} is in use\n`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`node joins through a bootstrap node, shows its state, logs nodes joining, and stops on ${signal}`, async (t) => {
    const testnet = await createTestnet(5, { host: LOOPBACK })
    t.after(() => testnet.destroy())
    const bootstrap = `${LOOPBACK}:${testnet.bootstrap[0]!.port}`
    const node = startDhtRpc(t, ['node', '--bootstrap', bootstrap, '--host', LOOPBACK, '--persistent'])
    const port = Number((await node.waitFor(/node listening on 127\.0\.0\.1:(\d+) \(persistent once joined\), joining through (\S+)/))[1])
    assert.match(node.stdout, new RegExp(`joining through ${bootstrap.replaceAll('.', '\\.')}\\n`))
    await node.waitFor(/ready: joined the DHT, \d+ nodes? in the routing table/)
    const status = await node.waitFor(/status: persistent, id ([0-9a-f]{8})…, NAT (.+?), public (\S+), table (\d+) nodes?, requests in [\d.]+\/s out [\d.]+\/s/)
    assert.ok(Number(status[4]) >= 1, status[0])
    for (const peer of testnet.nodes.slice(1)) {
      assert.match(node.stdout, new RegExp(`\\+ 127\\.0\\.0\\.1:${peer.address()!.port} joined the routing table`))
    }

    // a node that joins later lands in its routing table too, and it says so
    const late = await testnet.createNode()
    await node.waitFor(new RegExp(`\\+ 127\\.0\\.0\\.1:${late.address()!.port} joined the routing table`))
    assert.ok(late.toArray().some((peer) => peer.port === port), 'the CLI node is in the routing table of the late node')

    const { code, stderr } = await node.stop(signal)
    assert.equal(code, 0, stderr)
    assert.equal(stderr, `stopping (${signal})\n`)
    assert.ok(await portIsFree(LOOPBACK, port), `port ${port} is free again`)
  })
}

test('node --ephemeral stays out of routing tables; a node and a bootstrap node from the CLI work together', async (t) => {
  const bootstrap = startDhtRpc(t, ['bootstrap', '--port', '0', '--host', LOOPBACK])
  const bootstrapPort = Number((await bootstrap.waitFor(/listening on 127\.0\.0\.1:(\d+)/))[1])
  const persistent = startDhtRpc(t, ['node', '--bootstrap', `${LOOPBACK}:${bootstrapPort}`, '--host', LOOPBACK, '--persistent'])
  const persistentPort = Number((await persistent.waitFor(/listening on 127\.0\.0\.1:(\d+)/))[1])
  await persistent.waitFor(/ready: joined the DHT/)
  const ephemeral = startDhtRpc(t, ['node', '--bootstrap', `${LOOPBACK}:${bootstrapPort}`, '--host', LOOPBACK, '--ephemeral'])
  const ephemeralPort = Number((await ephemeral.waitFor(/listening on 127\.0\.0\.1:(\d+) \(ephemeral\)/))[1])
  await ephemeral.waitFor(new RegExp(`\\+ 127\\.0\\.0\\.1:${persistentPort} joined the routing table`))
  await ephemeral.waitFor(/status: ephemeral, id none, NAT \S+/)

  const { code, stderr } = await ephemeral.stop('SIGINT')
  assert.equal(code, 0, stderr)
  assert.doesNotMatch(persistent.stdout, new RegExp(`127\\.0\\.0\\.1:${ephemeralPort}`), 'the ephemeral node never joined its table')
  for (const child of [persistent, bootstrap]) assert.equal((await child.stop('SIGTERM')).code, 0)
  for (const port of [bootstrapPort, persistentPort, ephemeralPort]) assert.ok(await portIsFree(LOOPBACK, port), `port ${port} is free`)
})

test('node whose bootstrap node never answers says so: a warning on stderr, once', async (t) => {
  const silent = dgram.createSocket('udp4')
  silent.bind(0, LOOPBACK)
  await once(silent, 'listening')
  t.after(() => silent.close())
  const address = `${LOOPBACK}:${silent.address().port}`
  const node = startDhtRpc(t, ['node', '--bootstrap', address, '--host', LOOPBACK])
  await node.waitFor(/ready: joined the DHT, 0 nodes in the routing table\n/)
  const warning = new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] warning: .*${address.replaceAll('.', '\\.')}.*\\n`)
  await node.waitFor(warning, undefined, 'stderr')

  const { code, stderr } = await node.stop('SIGINT')
  assert.equal(code, 0, stderr)
  assert.equal(lines(stderr).length, 2, `the warning once, then stopping: ${stderr}`)
  assert.match(lines(stderr)[1]!, /^stopping \(SIGINT\)$/)
})

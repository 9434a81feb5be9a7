// Joining a network through a bootstrap node of the other implementation.
import test from 'node:test'
import assert from 'node:assert/strict'
import DHT from '@dht/rpc'
import { RefDHT } from './reference.js'
import { LOOPBACK, createMixedNetwork, createOurs, createRef, destroyRef, peerOf, refPeerOf } from './network.js'

test('bootstrapped from a reference node: our nodes and reference nodes join, go persistent and find each other', async (t) => {
  const net = await createMixedNetwork({ ours: 4, refs: 4, bootstrap: 'ref' })
  t.after(() => net.destroy())
  assert.equal(net.ourBootstrap, null)

  for (const node of net.ours) {
    assert.equal(node.ephemeral, false)
    assert.deepEqual(node.id, DHT.id(peerOf(node)))
    assert.ok(node.toArray().some((p) => net.refs.some((r) => refPeerOf(r).port === p.port)), 'knows a reference node')
  }
  for (const node of net.refs) {
    assert.equal(node.ephemeral, false)
    assert.deepEqual(node.id, RefDHT.id(refPeerOf(node)))
    assert.ok(node.toArray().some((p) => net.ours.some((o) => peerOf(o).port === p.port)), 'knows one of ours')
  }
  // the ephemeral reference bootstrap node is in nobody's table
  const bootstrapPort = net.bootstrap[0]!.port
  for (const node of [...net.ours, ...net.refs]) assert.ok(!node.toArray().some((p) => p.port === bootstrapPort))
})

test('bootstrapped from one of ours: reference nodes join, go persistent and find our nodes', async (t) => {
  const net = await createMixedNetwork({ ours: 4, refs: 4, bootstrap: 'ours' })
  t.after(() => net.destroy())
  assert.equal(net.refBootstrap, null)
  for (const node of net.refs) {
    assert.equal(node.ephemeral, false)
    assert.ok(node.toArray().some((p) => net.ours.some((o) => peerOf(o).port === p.port)), 'knows one of ours')
  }
  for (const node of net.ours) {
    assert.equal(node.ephemeral, false)
    assert.ok(node.toArray().some((p) => net.refs.some((r) => refPeerOf(r).port === p.port)), 'knows a reference node')
  }
  const bootstrapPort = net.bootstrap[0]!.port
  for (const node of [...net.ours, ...net.refs]) assert.ok(!node.toArray().some((p) => p.port === bootstrapPort))
})

test('a lone reference node bootstraps from a lone node of ours, and the reverse', async (t) => {
  const ourBootstrap = createOurs({ ephemeral: true, bootstrap: false })
  t.after(() => ourBootstrap.destroy())
  const refBootstrap = await createRef({ ephemeral: true, bootstrap: false })
  t.after(() => destroyRef(refBootstrap))
  const ourPort = await ourBootstrap.bind()

  // ready() resolves even though the network is a single ephemeral node
  const ref = await createRef({ bootstrap: [`${LOOPBACK}:${ourPort}`] })
  t.after(() => destroyRef(ref))
  const ours = createOurs({ bootstrap: [refPeerOf(refBootstrap)] })
  t.after(() => ours.destroy())
  await Promise.all([ref.ready(), ours.ready()])

  // adaptive nodes stay ephemeral; each learnt its address from the other implementation's reply
  assert.equal(ref.ephemeral, true)
  assert.equal(ours.ephemeral, true)
  assert.deepEqual(ours.remoteAddress(1), { type: DHT.NAT_PORT_CONSISTENT, host: LOOPBACK, port: peerOf(ours).port })
  assert.deepEqual(ref.remoteAddress(1), { type: RefDHT.NAT_PORT_CONSISTENT, host: LOOPBACK, port: refPeerOf(ref).port })
})

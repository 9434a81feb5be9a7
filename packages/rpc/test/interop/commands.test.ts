// ping, request, requestAll and custom commands between our nodes and dht-rpc@5.0.0-rc.6
// nodes, with error statuses, UNKNOWN_COMMAND and round-trip tokens, in both directions.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import DHT, { isIOError } from '@dht/rpc'
import type { DHTRequest, Peer } from '@dht/rpc'
import { RefDHT } from './reference.js'
import type { RefRequest } from './reference.js'
import { createMixedNetwork, peerOf, refPeerOf } from './network.js'
import type { MixedNetwork } from './network.js'

const TARGET = Buffer.alloc(32, 0xab)

describe('commands between our nodes and reference nodes', () => {
  let net: MixedNetwork
  // a and a2 are ours with commands; r and r2 are reference nodes with commands;
  // bare (ours) and refBare have no 'request' listener at all
  let a: DHT, a2: DHT, bare: DHT, r: RefDHT, r2: RefDHT, refBare: RefDHT
  let ap: Peer, a2p: Peer, barep: Peer, rp: Peer, r2p: Peer, refBarep: Peer
  /** What the 'store' command saw: whether it was a commit. */
  const stored: Array<{ at: string, commit: boolean, value: string | null }> = []

  function serve (at: string, req: DHTRequest | RefRequest): void {
    switch (req.command) {
      case 'echo': return void req.reply(req.value)
      case 'fail': return void req.error(42)
      case 'bare': return void req.reply(req.value, { closerNodes: false, token: false })
      case 'store':
        stored.push({ at, commit: req.commit, value: req.value === null ? null : req.value.toString() })
        return void req.reply(null)
    }
  }

  before(async () => {
    net = await createMixedNetwork({ ours: 3, refs: 3 })
    ;[a, bare, a2] = net.ours as [DHT, DHT, DHT]
    ;[r, refBare, r2] = net.refs as [RefDHT, RefDHT, RefDHT]
    a.on('request', (req) => serve('a', req))
    a2.on('request', (req) => serve('a2', req))
    r.on('request', (req: RefRequest) => serve('r', req))
    r2.on('request', (req: RefRequest) => serve('r2', req))
    ;[ap, a2p, barep] = [peerOf(a), peerOf(a2), peerOf(bare)]
    ;[rp, r2p, refBarep] = [refPeerOf(r), refPeerOf(r2), refPeerOf(refBare)]
  })

  after(() => net.destroy())

  test('ping both ways: status 0 and the verified id of the other kind', async () => {
    const pong = await a.ping(rp)
    assert.equal(pong.status, DHT.OK)
    assert.deepEqual(pong.from, rp)
    assert.deepEqual(pong.id, r.id)
    assert.equal(pong.value, null)
    assert.equal(pong.token, null, 'no token on a ping reply')

    const refPong = await r.ping(ap)
    assert.equal(refPong.status, RefDHT.OK)
    assert.deepEqual(refPong.from, ap)
    assert.deepEqual(refPong.id, Buffer.from(a.id!))
    assert.equal(refPong.token, null)
  })

  test('ping echoes a value of up to 32 bytes both ways', async () => {
    const value = Buffer.alloc(32, 7)
    assert.deepEqual((await a.request(null, 'ping', value, rp)).value, value)
    assert.deepEqual((await r.request(null, 'ping', value, ap)).value, value)
  })

  test('custom commands both ways: the value back, closerNodes for the target, a token', async () => {
    const value = Buffer.from('hello from ours')
    const reply = await a.request(TARGET, 'echo', value, rp)
    assert.deepEqual(reply.value, value)
    assert.deepEqual(reply.id, r.id)
    assert.equal(reply.token?.byteLength, 32)
    assert.ok(reply.closerNodes !== null && reply.closerNodes.length > 0)

    const refValue = Buffer.from('hello from a reference node')
    const refReply = await r.request(TARGET, 'echo', refValue, ap)
    assert.deepEqual(refReply.value, refValue)
    assert.deepEqual(refReply.id, Buffer.from(a.id!))
    assert.equal(refReply.token?.byteLength, 32)
    assert.ok(refReply.closerNodes !== null && refReply.closerNodes.length > 0)
    // closerNodes are what our table says is closest to the target
    assert.deepEqual(refReply.closerNodes, a.table.closest(TARGET).map(({ host, port }) => ({ host, port })))
  })

  test('without a target, and with closerNodes: false and token: false, replies carry neither', async () => {
    const plain = await a.request(null, 'echo', null, rp)
    assert.equal(plain.closerNodes, null)
    const refPlain = await r.request(null, 'echo', null, ap)
    assert.equal(refPlain.closerNodes, null)

    const bareReply = await a.request(TARGET, 'bare', Buffer.from('x'), rp)
    assert.equal(bareReply.closerNodes, null)
    assert.equal(bareReply.token, null)
    const refBareReply = await r.request(TARGET, 'bare', Buffer.from('x'), ap)
    assert.equal(refBareReply.closerNodes, null)
    assert.equal(refBareReply.token, null)
  })

  test('round-trip tokens: a token commits at the node that handed it out, not at another', async () => {
    stored.length = 0
    const { token } = await a.request(TARGET, 'echo', null, rp)
    await a.request(TARGET, 'store', Buffer.from('ours to ref'), rp, { token })
    await a2.request(TARGET, 'store', Buffer.from('other port'), rp, { token }) // a's token, from a2's port
    await a.request(TARGET, 'store', Buffer.from('wrong node'), r2p, { token }) // r's token at r2
    await a.request(TARGET, 'store', Buffer.from('no token'), rp)

    const refToken = (await r.request(TARGET, 'echo', null, ap)).token
    await r.request(TARGET, 'store', Buffer.from('ref to ours'), ap, { token: refToken })
    await r2.request(TARGET, 'store', Buffer.from('other port'), ap, { token: refToken })
    await r.request(TARGET, 'store', Buffer.from('wrong node'), a2p, { token: refToken })
    await r.request(TARGET, 'store', Buffer.from('no token'), ap)

    assert.deepEqual(stored, [
      { at: 'r', commit: true, value: 'ours to ref' },
      { at: 'r', commit: true, value: 'other port' }, // rc.6 binds its tokens to the host only
      { at: 'r2', commit: false, value: 'wrong node' },
      { at: 'r', commit: false, value: 'no token' },
      { at: 'a', commit: true, value: 'ref to ours' },
      { at: 'a', commit: false, value: 'other port' }, // ours bind them to host and port
      { at: 'a2', commit: false, value: 'wrong node' },
      { at: 'a', commit: false, value: 'no token' }
    ])
  })

  test('error statuses: ours rejects unless expectOk: false; rc.6 resolves unless given an options object', async () => {
    await assert.rejects(a.request(null, 'fail', null, rp), (err) => isIOError(err, 'REQUEST_FAILED') && err.status === 42)
    const failed = await a.request(null, 'fail', null, rp, { expectOk: false })
    assert.equal(failed.status, 42)
    assert.deepEqual(failed.id, r.id)

    const refFailed = await r.request(null, 'fail', null, ap)
    assert.equal(refFailed.status, 42)
    await assert.rejects(r.request(null, 'fail', null, ap, {}), (err: Error & { status?: number }) => err.status === 42)
  })

  test('UNKNOWN_COMMAND both ways, with closerNodes for the target', async () => {
    const unknown = await a.request(TARGET, 'nope', null, refBarep, { expectOk: false })
    assert.equal(unknown.status, DHT.UNKNOWN_COMMAND)
    assert.ok(unknown.closerNodes !== null && unknown.closerNodes.length > 0)
    assert.equal(unknown.token, null)
    await assert.rejects(a.request(TARGET, 'nope', null, refBarep), (err) => isIOError(err, 'REQUEST_FAILED') && err.status === 1)

    const refUnknown = await r.request(TARGET, 'nope', null, barep)
    assert.equal(refUnknown.status, RefDHT.UNKNOWN_COMMAND)
    assert.deepEqual(refUnknown.closerNodes, bare.table.closest(TARGET).map(({ host, port }) => ({ host, port })))
    assert.equal(refUnknown.token, null)

    const noTarget = await r.request(null, 'nope', null, barep)
    assert.equal(noTarget.status, 1)
    assert.equal(noTarget.closerNodes, null)
  })

  test('requestAll both ways, with min and max', async () => {
    const value = Buffer.from('all')
    const replies = await a.requestAll(null, 'echo', value, [rp, r2p])
    assert.deepEqual(replies.map((m) => m.value), [value, value])
    assert.deepEqual(new Set(replies.map((m) => m.from.port)), new Set([rp.port, r2p.port]))
    assert.equal((await a.requestAll(null, 'echo', value, [rp, r2p], { max: 1 })).length, 1)
    await assert.rejects(a.requestAll(null, 'fail', null, [rp, r2p]))
    assert.equal((await a.requestAll(null, 'fail', null, [rp, r2p], { expectOk: false })).length, 2)

    const refReplies = await r.requestAll(null, 'echo', value, [ap, a2p])
    assert.deepEqual(refReplies.map((m) => m.value), [value, value])
    assert.equal((await r.requestAll(null, 'echo', value, [ap, a2p], { max: 1 })).length, 1)
    // rc.6 requests without options here, so error statuses resolve
    assert.deepEqual((await r.requestAll(null, 'fail', null, [ap, a2p])).map((m) => m.status), [42, 42])
  })

  test('a lookup of ours with a custom command gets the replies of reference nodes, and the reverse', async () => {
    const fromRefs = new Set<number>()
    for await (const reply of a.query(TARGET, 'echo', Buffer.from('q'))) {
      if (net.refs.some((n) => refPeerOf(n).port === reply.from.port)) fromRefs.add(reply.from.port)
    }
    assert.ok(fromRefs.has(rp.port) && fromRefs.has(r2p.port))
    const fromOurs = new Set<number>()
    for await (const reply of r.query(TARGET, 'echo', Buffer.from('q'))) {
      if (net.ours.some((n) => peerOf(n).port === reply.from!.port)) fromOurs.add(reply.from!.port)
    }
    assert.ok(fromOurs.has(ap.port) && fromOurs.has(a2p.port))
  })

  test('nothing either side sent failed to decode on the other', () => {
    assert.deepEqual(net.warnings.map((w) => `${w.kind}: ${w.err.message}`), [])
  })
})

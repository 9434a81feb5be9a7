import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decode, encodeReply, encodeRequest, id } from '@dht/wire'
import * as arb from './arbitraries.js'
import { referenceDecode, referenceEncode, referenceId, replyAsReference, requestAsReference } from './reference.js'

const RUNS = 5000

test('requests: our bytes equal dht-rpc@5.0.0-rc.6 bytes', () => {
  fc.assert(fc.property(arb.request, (m) => {
    assert.deepEqual(Buffer.from(encodeRequest(m)), Buffer.from(referenceEncode(requestAsReference(m))))
  }), { numRuns: RUNS, seed: 10 })
})

test('replies: our bytes equal dht-rpc@5.0.0-rc.6 bytes', () => {
  fc.assert(fc.property(arb.reply, (m) => {
    assert.deepEqual(Buffer.from(encodeReply(m)), Buffer.from(referenceEncode(replyAsReference(m))))
  }), { numRuns: RUNS, seed: 11 })
})

test('requests: we decode what the reference encodes, and it decodes what we encode', () => {
  fc.assert(fc.property(arb.request, (m) => {
    const ref = requestAsReference(m)
    const ours = decode(referenceEncode(ref))
    assert.equal(ours.type, 'request')
    const back = referenceDecode(encodeRequest(m))
    for (const d of [ours, back]) {
      assert.equal(d.tid, m.tid)
      assert.deepEqual(d.to, m.to)
      assert.deepEqual(d.id, m.id)
      assert.deepEqual(d.token, m.token)
      assert.deepEqual(d.command, m.command)
      assert.deepEqual(d.value, m.value !== null && m.value.byteLength > 0 ? m.value : null)
    }
    assert.deepEqual(ours.type === 'request' && ours.target, m.target)
    assert.deepEqual(back.target, m.target)
  }), { numRuns: RUNS, seed: 12 })
})

test('replies: we decode what the reference encodes, and it decodes what we encode', () => {
  fc.assert(fc.property(arb.reply, (m) => {
    const ours = decode(referenceEncode(replyAsReference(m)))
    const back = referenceDecode(encodeReply(m))
    const nodes = m.closerNodes !== null && m.closerNodes.length > 0 ? m.closerNodes : null
    assert.equal(ours.type, 'reply')
    assert.equal(back.command, null)
    for (const d of [ours, back]) {
      assert.equal(d.tid, m.tid)
      assert.deepEqual(d.to, m.to)
      assert.deepEqual(d.id, m.id)
      assert.deepEqual(d.token, m.token)
      assert.equal(d.status, m.status)
      assert.deepEqual(d.closerNodes, nodes)
      assert.deepEqual(d.value, m.value !== null && m.value.byteLength > 0 ? m.value : null)
    }
  }), { numRuns: RUNS, seed: 13 })
})

test('routing ids equal the reference for many host:port pairs', () => {
  fc.assert(fc.property(arb.host, arb.port, (host, port) => {
    assert.deepEqual(Buffer.from(id(host, port)), Buffer.from(referenceId(host, port)))
  }), { numRuns: 20000, seed: 14 })
  for (const [host, port] of [['0.0.0.0', 0], ['255.255.255.255', 65535], ['127.0.0.1', 49737]] as const) {
    assert.deepEqual(Buffer.from(id(host, port)), Buffer.from(referenceId(host, port)))
  }
})

test('id() writes into the given buffer', () => {
  const out = Buffer.alloc(40)
  const view = out.subarray(4, 36)
  assert.equal(id('10.0.0.1', 80, view), view)
  assert.deepEqual(view, Buffer.from(referenceId('10.0.0.1', 80)))
})

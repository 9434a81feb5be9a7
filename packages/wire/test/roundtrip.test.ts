import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decode, encodeReply, encodeRequest, message, request as requestCodec, reply as replyCodec } from '@dht/wire'
import type { Message, Reply, Request } from '@dht/wire'
import * as arb from './arbitraries.js'

const RUNS = 3000

function normalizeRequest (m: Request): Message {
  return { type: 'request', ...m, value: nonEmpty(m.value) }
}

function normalizeReply (m: Reply): Message {
  const nodes = m.closerNodes !== null && m.closerNodes.length > 0 ? m.closerNodes : null
  return { type: 'reply', ...m, closerNodes: nodes, value: nonEmpty(m.value) }
}

function nonEmpty (value: Uint8Array | null): Uint8Array | null {
  return value !== null && value.byteLength > 0 ? value : null
}

test('requests round trip', () => {
  fc.assert(fc.property(arb.request, (m) => {
    assert.deepEqual(decode(encodeRequest(m)), normalizeRequest(m))
  }), { numRuns: RUNS, seed: 1 })
})

test('replies round trip', () => {
  fc.assert(fc.property(arb.reply, (m) => {
    assert.deepEqual(decode(encodeReply(m)), normalizeReply(m))
  }), { numRuns: RUNS, seed: 2 })
})

test('encoding allocates exactly the encoded size, once', () => {
  fc.assert(fc.property(arb.request, arb.reply, (q, r) => {
    for (const [buf, codec, m] of [[encodeRequest(q), requestCodec, q], [encodeReply(r), replyCodec, r]] as const) {
      const state = { start: 0, end: 0, buffer: new Uint8Array(0) }
      ;(codec.preencode as (s: typeof state, v: typeof m) => void)(state, m)
      assert.equal(buf.byteLength, state.end)
      assert.equal(buf.byteOffset + buf.byteLength <= buf.buffer.byteLength, true)
    }
  }), { numRuns: 500, seed: 3 })
})

test('an empty value encodes exactly like null and decodes as null', () => {
  const base: Request = { tid: 7, to: { host: '1.2.3.4', port: 5 }, id: null, token: null, target: null, command: 'ping', value: null }
  const withNull = encodeRequest(base)
  const withEmpty = encodeRequest({ ...base, value: new Uint8Array(0) })
  assert.deepEqual(withEmpty, withNull)
  assert.equal(decode(withEmpty).value, null)
})

test('an empty closerNodes array sets no flag and decodes as null', () => {
  const base: Reply = { tid: 7, to: { host: '1.2.3.4', port: 5 }, id: null, token: null, closerNodes: null, status: 0, value: null }
  const empty = encodeReply({ ...base, closerNodes: [] })
  assert.deepEqual(empty, encodeReply(base))
  assert.equal(empty[1], 0)
  const m = decode(empty)
  assert.equal(m.type, 'reply')
  assert.equal(m.type === 'reply' && m.closerNodes, null)
})

test('the message codec composes in a larger compact-encoding structure', () => {
  const m: Message = { type: 'reply', tid: 1, to: { host: '10.0.0.1', port: 1 }, id: null, token: null, closerNodes: [{ host: '10.0.0.2', port: 2 }], status: 3, value: Buffer.from('hi') }
  const state = { start: 2, end: 2, buffer: new Uint8Array(0) }
  message.preencode(state, m)
  state.end += 3
  state.buffer = Buffer.alloc(state.end)
  message.encode(state, m)
  assert.equal(state.start, state.end - 3)
  const decoded = message.decode({ start: 2, end: state.start, buffer: state.buffer })
  assert.deepEqual(decoded, m)
})

test('decoded ids, tokens, targets and values are views into the datagram', () => {
  fc.assert(fc.property(arb.request, (m) => {
    const buf = encodeRequest(m)
    const d = decode(buf)
    for (const field of [d.id, d.token, d.type === 'request' ? d.target : null, d.value]) {
      if (field !== null) assert.equal(field.buffer, buf.buffer)
    }
  }), { numRuns: 200, seed: 4 })
})

test('the `to` of each datagram decodes to its own host when hosts alternate', () => {
  // decode keeps the last `to` host it built; a change of any byte must build a new one
  const hosts = ['1.2.3.4', '0.0.0.0', '1.2.3.4', '255.255.255.255', '128.0.0.1', '1.2.3.5', '1.2.3.5', '0.0.0.0']
  for (const [i, host] of hosts.entries()) {
    const to = { host, port: 1000 + i }
    const request = decode(encodeRequest({ tid: i, to, id: null, token: null, target: null, command: 'ping', value: null }))
    assert.deepEqual(request.to, to)
    const reply = decode(encodeReply({ tid: i, to, id: null, token: null, closerNodes: [{ host: '9.9.9.9', port: 9 }], status: 0, value: null }))
    assert.deepEqual(reply.to, to)
  }
})

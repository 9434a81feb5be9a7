import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { HAS_ROUTE, IS_REQUEST, decode, encodeReply, encodeRequest, isWireError } from '@dht/wire'
import type { DecodedRequest, WireErrorCode } from '@dht/wire'
import * as arb from './arbitraries.js'
import { referenceDecode } from './reference.js'

function assertRejects (datagram: Uint8Array, codes: readonly WireErrorCode[]): void {
  try {
    decode(datagram)
  } catch (err) {
    assert.ok(isWireError(err), `expected a WireError, got ${String(err)}`)
    assert.ok(codes.includes(err.code), `unexpected code ${err.code}`)
    return
  }
  assert.fail('decode accepted a malformed datagram')
}

const HEADER = [2, 0, 0x34, 0x12, 127, 0, 0, 1, 0x39, 0x30] // version, flags, tid, to

test('every truncation of a valid message is rejected', () => {
  fc.assert(fc.property(fc.oneof(arb.request.map(encodeRequest), arb.reply.map(encodeReply)), (datagram) => {
    for (let length = 0; length < datagram.byteLength; length++) {
      assertRejects(datagram.subarray(0, length), ['TRUNCATED', 'INVALID_LENGTH'])
    }
  }), { numRuns: 400, seed: 20 })
})

test('any version byte but 2 is rejected', () => {
  const valid = encodeRequest({ tid: 1, to: { host: '1.2.3.4', port: 1 }, id: null, token: null, target: null, command: 'ping', value: null })
  for (let version = 0; version < 256; version++) {
    if (version === 2) continue
    const datagram = Buffer.from(valid)
    datagram[0] = version
    assertRejects(datagram, ['INVALID_VERSION'])
  }
})

test('unknown flag bits are ignored, as v5 nodes ignore them', () => {
  fc.assert(fc.property(fc.oneof(arb.request.map(encodeRequest), arb.reply.map(encodeReply)), fc.integer({ min: 1, max: 14 }), (datagram, extra) => {
    // (extra << 4) stays below 0xfd: a flags byte of 0xfd or more starts a multi-byte uint
    const flagged = Buffer.from(datagram)
    flagged[1] = flagged[1]! | (extra << 4)
    assert.deepEqual(decode(flagged), decode(datagram))
  }), { numRuns: 500, seed: 21 })
})

test('a closerNodes count larger than the datagram is rejected before anything is allocated', () => {
  const counts: number[][] = [
    [0xfe, 0xff, 0xff, 0xff, 0xff], // 2^32 - 1 nodes
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x00], // 2^53 - 1 nodes
    [0xfd, 0x00, 0x01], // 256 nodes
    [2] // 2 nodes, one present
  ]
  for (const count of counts) {
    const datagram = Buffer.from([...HEADER.slice(0, 1), HAS_ROUTE, ...HEADER.slice(2), ...count, 10, 0, 0, 1, 80, 0, 0, 0])
    assertRejects(datagram, ['INVALID_LENGTH'])
  }
})

test('a value or command length larger than the datagram is rejected', () => {
  assertRejects(Buffer.from([...HEADER, 0, 0xfe, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]), ['INVALID_LENGTH'])
  const request = [...HEADER]
  request[1] = IS_REQUEST
  assertRejects(Buffer.from([...request, 0xfd, 0xe8, 0x03, 0x61, 0x62, 0]), ['INVALID_LENGTH'])
})

test('a command that is not valid UTF-8 decodes with U+FFFD, exactly as dht-rpc@5.0.0-rc.6 decodes it', () => {
  const request = [...HEADER]
  request[1] = IS_REQUEST
  const invalid = [
    [0xff], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80],
    [0x61, 0xc3], [0xe2, 0x82], [0x80], [0x66, 0x69, 0xfe, 0x6e, 0x64]
  ]
  for (const bytes of invalid) {
    const datagram = Buffer.from([...request, bytes.length, ...bytes, 0])
    const m = decode(datagram)
    assert.equal(m.type, 'request')
    assert.equal(m.type === 'request' && m.command, referenceDecode(datagram).command)
    assert.match(m.type === 'request' ? m.command : '', /\ufffd/)
  }
  assert.equal((decode(Buffer.from([...request, 5, 0x66, 0x69, 0xfe, 0x6e, 0x64, 0])) as DecodedRequest).command, 'fi\ufffdnd')
  const valid = Buffer.from('find_nöde ☃ 𝄞')
  const m = decode(Buffer.from([...request, valid.length, ...valid, 0]))
  assert.equal(m.type === 'request' && m.command, 'find_nöde ☃ 𝄞')
})

test('random datagrams either decode or fail with a WireError, never anything else', () => {
  const datagram = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => { b[0] = 2; return b })
  )
  fc.assert(fc.property(datagram, (bytes) => {
    try {
      decode(bytes)
    } catch (err) {
      assert.ok(isWireError(err), `non-WireError thrown: ${String(err)}`)
    }
  }), { numRuns: 100000, seed: 22 })
})

test('mutated valid messages either decode or fail with a WireError', () => {
  const mutated = fc.tuple(
    fc.oneof(arb.request.map(encodeRequest), arb.reply.map(encodeReply)),
    fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 })
  ).map(([datagram, edits]) => {
    const copy = Buffer.from(datagram)
    for (const [at, byte] of edits) copy[at % copy.length] = byte
    return copy
  })
  fc.assert(fc.property(mutated, (bytes) => {
    try {
      const m = decode(bytes)
      if (m.type === 'reply' && m.closerNodes !== null) assert.ok(m.closerNodes.length * 6 <= bytes.length)
      if (m.value !== null) assert.ok(m.value.byteLength <= bytes.length)
    } catch (err) {
      assert.ok(isWireError(err), `non-WireError thrown: ${String(err)}`)
    }
  }), { numRuns: 20000, seed: 23 })
})

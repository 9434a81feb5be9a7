// Differential: any datagram at all is accepted by our decoder exactly when dht-rpc@5.0.0-rc.6's
// decoder accepts it, and both decode it to the same message. (This is how a command that
// is not valid UTF-8 was found: rc.6 answers it, we used to drop it.)
import test from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decode, encodeReply, encodeRequest, isWireError } from '@dht/wire'
import * as arb from './arbitraries.js'
import { referenceDecode } from './reference.js'
import { jsonOf, jsonOfReference } from './vectors.js'
import type { JsonMessage } from './vectors.js'

function bothDecoders (datagram: Uint8Array): void {
  let ours: JsonMessage | null = null
  let theirs: JsonMessage | null = null
  try {
    ours = jsonOf(decode(datagram))
  } catch (err) {
    assert.ok(isWireError(err), `non-WireError thrown: ${String(err)}`)
  }
  try {
    theirs = jsonOfReference(referenceDecode(datagram))
  } catch {}
  assert.deepEqual(ours, theirs, `datagram ${Buffer.from(datagram).toString('hex')}`)
}

const valid = fc.oneof(arb.request.map(encodeRequest), arb.reply.map(encodeReply))

test('random datagrams: accepted by both decoders or by neither, decoded alike', () => {
  const datagram = fc.oneof(
    fc.uint8Array({ maxLength: 120 }),
    fc.uint8Array({ minLength: 1, maxLength: 120 }).map((b) => { b[0] = 2; return b })
  )
  fc.assert(fc.property(datagram, bothDecoders), { numRuns: 20000, seed: 30 })
})

test('mutated and truncated valid datagrams: accepted by both decoders or by neither, decoded alike', () => {
  const mutated = fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 })).map(([datagram, edits]) => {
    const copy = Buffer.from(datagram)
    for (const [at, byte] of edits) copy[at % copy.length] = byte
    return copy
  })
  fc.assert(fc.property(mutated, bothDecoders), { numRuns: 10000, seed: 31 })
  const truncated = fc.tuple(valid, fc.nat()).map(([datagram, n]) => datagram.subarray(0, n % (datagram.length + 1)))
  fc.assert(fc.property(truncated, bothDecoders), { numRuns: 5000, seed: 32 })
})

test('commands of arbitrary bytes, UTF-8 or not: decoded alike', () => {
  const header = [2, 0b0001, 0x34, 0x12, 127, 0, 0, 1, 0x39, 0x30]
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (command) => {
    bothDecoders(Buffer.from([...header, command.length, ...command, 0]))
  }), { numRuns: 10000, seed: 33 })
})

// test-vectors/v5.json: up to date with its definitions, and every vector agrees with both our
// codec and dht-rpc@5.0.0-rc.6's.
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { decode, encodeExact, isWireError, message } from '@dht/wire'
import { referenceDecode, referenceEncode } from './reference.js'
import { VECTORS_FILE, buildVectors, formatVectors, isValid, jsonOf, jsonOfReference, messageOf, readVectors, referenceOf } from './vectors.js'
import type { InvalidVector, ValidVector } from './vectors.js'

const vectors = readVectors()
const valid = vectors.filter(isValid)
const invalid = vectors.filter((v): v is InvalidVector => !isValid(v))

function hexOf (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

test('test-vectors/v5.json is up to date with test/vectors.ts', () => {
  const committed = readFileSync(VECTORS_FILE, 'utf8')
  assert.ok(committed === formatVectors(buildVectors()), 'test-vectors/v5.json is stale: run `pnpm --filter @dht/wire vectors` and commit it')
  const names = vectors.map((v) => v.name)
  assert.equal(new Set(names).size, names.length, 'names are unique')
})

test('it is published as @dht/wire/test-vectors/v5.json', () => {
  assert.equal(fileURLToPath(import.meta.resolve('@dht/wire/test-vectors/v5.json')), VECTORS_FILE)
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { files: string[] }
  assert.ok(manifest.files.includes('test-vectors'))
})

test('valid vectors: both codecs decode them to the message, and encode the message to them', () => {
  for (const v of valid) {
    const bytes = Buffer.from(v.hex, 'hex')
    assert.deepEqual(jsonOf(decode(bytes)), v.message, `${v.name}: our decoder`)
    assert.deepEqual(jsonOfReference(referenceDecode(bytes)), v.message, `${v.name}: dht-rpc's decoder`)
    const ours = hexOf(encodeExact(message, messageOf(v.message)))
    const reference = hexOf(referenceEncode(referenceOf(v.message)))
    assert.equal(ours, reference, `${v.name}: both encoders write the same bytes`)
    if (v.decodeOnly === true) {
      assert.notEqual(ours, v.hex, `${v.name}: is not how encoders write it`)
      continue
    }
    assert.equal(ours, v.hex, `${v.name}: our encoder`)
    // an empty value, and an empty closerNodes list, are written exactly like null
    const m = messageOf(v.message)
    const emptied = m.type === 'request'
      ? { ...m, value: m.value ?? Buffer.alloc(0) }
      : { ...m, value: m.value ?? Buffer.alloc(0), closerNodes: m.closerNodes ?? [] }
    assert.equal(hexOf(encodeExact(message, emptied)), v.hex, `${v.name}: empty is null, for our encoder`)
    const ref = referenceOf(v.message)
    const refEmptied = { ...ref, value: ref.value ?? Buffer.alloc(0), closerNodes: ref.command === null ? ref.closerNodes ?? [] : null }
    assert.equal(hexOf(referenceEncode(refEmptied)), v.hex, `${v.name}: empty is null, for dht-rpc's`)
  }
})

test('invalid vectors: our decoder fails with the code, and dht-rpc\'s fails too', () => {
  for (const v of invalid) {
    const bytes = Buffer.from(v.hex, 'hex')
    assert.throws(() => decode(bytes), (err) => isWireError(err, v.error), `${v.name}: ${v.error}`)
    assert.throws(() => referenceDecode(bytes), `${v.name}: dht-rpc's decoder`)
  }
})

test('the vectors cover the messages nodes send and every decode error', () => {
  const messages = valid.map((v) => v.message)
  const requests = messages.filter((m) => m.type === 'request')
  const replies = messages.filter((m) => m.type === 'reply')
  for (const command of ['find_node', 'ping', 'ping_nat']) assert.ok(requests.some((m) => m.command === command), command)
  assert.ok(requests.some((m) => m.token !== null && m.target !== null && m.value !== null), 'a commit with a token')
  assert.ok(replies.some((m) => m.closerNodes !== null && m.closerNodes.length > 0), 'a reply with closer nodes')
  assert.ok(replies.some((m) => m.status === 1) && replies.some((m) => m.status > 1), 'error statuses')
  assert.ok(messages.some((m) => m.value === null), 'an empty value')
  for (const prefix of ['fd', 'fe', 'ff']) {
    assert.ok(valid.some((v) => v.decodeOnly !== true && v.name.startsWith('multi-byte') && v.hex.includes(prefix)), `a uint written with 0x${prefix}`)
  }
  for (const flags of [0b0000, 0b0001, 0b0010, 0b0011, 0b0110, 0b1001, 0b1010, 0b1011, 0b1101, 0b1110, 0b1111]) {
    assert.ok(valid.some((v: ValidVector) => v.decodeOnly !== true && v.hex.slice(2, 4) === flags.toString(16).padStart(2, '0')), `flags 0b${flags.toString(2)}`)
  }
  for (const code of ['TRUNCATED', 'INVALID_VERSION', 'INVALID_LENGTH']) assert.ok(invalid.some((v) => v.error === code), code)
})

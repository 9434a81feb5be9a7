import test from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import fc from 'fast-check'
import { ParsedPeer, decode, encodeReply, encodeRequest, id, isIPv4, isWireError, parseIPv4 } from '@dht/wire'
import type { Peer, Reply, Request } from '@dht/wire'

const request: Request = { tid: 1, to: { host: '1.2.3.4', port: 80 }, id: null, token: null, target: null, command: 'ping', value: null }
const reply: Reply = { tid: 1, to: { host: '1.2.3.4', port: 80 }, id: null, token: null, closerNodes: null, status: 0, value: null }

function rejects (fn: () => unknown, field: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isWireError(err, 'INVALID_ARGUMENT'), `expected INVALID_ARGUMENT, got ${String(err)}`)
    assert.match(err.message, new RegExp(`INVALID_ARGUMENT: ${field.replace(/[[\].]/g, '\\$&')} must be`))
    return true
  })
}

// Inputs a JavaScript caller can pass despite the types.
function loose<T> (value: unknown): T {
  return value as T
}

test('hosts that are not dotted-quad IPv4 are rejected', () => {
  for (const host of ['localhost', '::1', '1.2.3', '1.2.3.4.5', '1.2.3.256', '01.2.3.4', ' 1.2.3.4', '1.2.3.4 ', '1..2.3', '', '1.2.3.-4', '1.2.3.4a', '1e2.0.0.1', '１.2.3.4']) {
    rejects(() => encodeRequest({ ...request, to: { host, port: 1 } }), 'to.host')
    rejects(() => encodeReply({ ...reply, closerNodes: [{ host: '1.1.1.1', port: 1 }, { host, port: 1 }] }), 'peers[1].host')
    rejects(() => id(host, 1), 'host')
  }
  rejects(() => encodeRequest({ ...request, to: loose({ host: 16909060, port: 1 }) }), 'to.host')
})

test('ports out of range are rejected', () => {
  for (const port of [-1, 65536, 1.5, Number.NaN, Infinity, '80', null]) {
    rejects(() => encodeRequest({ ...request, to: loose({ host: '1.2.3.4', port }) }), 'to.port')
    rejects(() => id('1.2.3.4', loose(port)), 'port')
  }
})

test('ids, tokens and targets must be 32-byte Uint8Arrays', () => {
  for (const bad of [new Uint8Array(31), new Uint8Array(33), 'x'.repeat(32), new Array(32).fill(0), {}]) {
    rejects(() => encodeRequest({ ...request, id: loose(bad) }), 'id')
    rejects(() => encodeRequest({ ...request, token: loose(bad) }), 'token')
    rejects(() => encodeRequest({ ...request, target: loose(bad) }), 'target')
    rejects(() => encodeReply({ ...reply, id: loose(bad) }), 'id')
  }
})

test('commands must be non-empty strings', () => {
  for (const bad of ['', 42, null, Buffer.from('ping'), undefined]) {
    rejects(() => encodeRequest({ ...request, command: loose(bad) }), 'command')
  }
})

test('other fields are checked too', () => {
  for (const tid of [-1, 65536, 0.5, '1']) rejects(() => encodeRequest({ ...request, tid: loose(tid) }), 'tid')
  for (const status of [-1, 0.5, Number.MAX_SAFE_INTEGER + 2, '0']) rejects(() => encodeReply({ ...reply, status: loose(status) }), 'status')
  for (const value of ['hi', [1, 2], 3]) rejects(() => encodeRequest({ ...request, value: loose(value) }), 'value')
  rejects(() => encodeReply({ ...reply, closerNodes: loose('1.2.3.4:5') }), 'closerNodes')
  rejects(() => encodeReply({ ...reply, closerNodes: loose([null]) }), 'peers[0]')
  rejects(() => encodeRequest(loose(null)), 'message')
})

test('isIPv4 agrees with net.isIPv4', () => {
  const candidate = fc.oneof(
    fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((p) => p.join('.')),
    fc.array(fc.constantFrom('0', '1', '9', '25', '255', '256', '00', '01', '.', ' ', 'a', ''), { maxLength: 9 }).map((p) => p.join('')),
    fc.string({ maxLength: 16 })
  )
  fc.assert(fc.property(candidate, (s) => {
    assert.equal(isIPv4(s), net.isIPv4(s), s)
  }), { numRuns: 20000, seed: 30 })
})

test('parseIPv4 is the address as a signed 32-bit integer, or null where isIPv4 is false', () => {
  assert.equal(parseIPv4('0.0.0.0'), 0)
  assert.equal(parseIPv4('1.2.3.4'), 0x01020304)
  assert.equal(parseIPv4('127.255.255.255'), 0x7fffffff)
  assert.equal(parseIPv4('128.0.0.0'), -0x80000000)
  assert.equal(parseIPv4('255.255.255.255'), -1)
  for (const bad of ['01.2.3.4', '1.2.3', '1.2.3.4.', '256.0.0.1', ' 1.2.3.4', '', 'localhost', null, 16909060]) {
    assert.equal(parseIPv4(bad), null, String(bad))
  }
  fc.assert(fc.property(fc.ipV4(), (s) => {
    const ip = parseIPv4(s)!
    assert.equal([ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'), s)
  }))
})

test('a ParsedPeer is written from the number it keeps, and equals the plain peer on the wire', () => {
  const plain: Peer = { host: '10.1.2.3', port: 4 }
  const parsed = new ParsedPeer('10.1.2.3', 4)
  const encode = (nodes: Peer[]): Uint8Array => encodeReply({ tid: 1, to: plain, id: null, token: null, closerNodes: nodes, status: 0, value: null })
  assert.deepEqual(encode([parsed]), encode([plain]))
  assert.equal(ParsedPeer.hostBitsOf(parsed), parseIPv4('10.1.2.3'))
  assert.equal(ParsedPeer.hostBitsOf(plain), parseIPv4('10.1.2.3'))
  assert.equal(ParsedPeer.hostBitsOf({ host: 'example.org', port: 1 }), null)
  assert.equal(ParsedPeer.hostBitsOf(null as never), null)
  // the number is the host's and nothing else can set it: a copy is a plain peer, parsed
  const moved: Peer = { ...parsed, host: '192.0.2.9' }
  const decoded = decode(encode([moved, parsed]))
  assert.deepEqual(decoded.type === 'reply' ? decoded.closerNodes : null, [{ host: '192.0.2.9', port: 4 }, { host: '10.1.2.3', port: 4 }])
  assert.deepEqual(Object.keys(parsed), ['host', 'port'])
})

test('new ParsedPeer refuses what the encoder would', () => {
  assert.throws(() => new ParsedPeer('localhost', 1), (err: unknown) => isWireError(err, 'INVALID_ARGUMENT') && /host/.test((err as Error).message))
  assert.throws(() => new ParsedPeer('10.0.0.1', 70000), (err: unknown) => isWireError(err, 'INVALID_ARGUMENT') && /port/.test((err as Error).message))
})

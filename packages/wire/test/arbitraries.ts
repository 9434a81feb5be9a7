// fast-check generators of valid v5 messages.
import fc from 'fast-check'
import type { Peer, Reply, Request } from '@dht/wire'

export const host = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'))
export const port = fc.nat(0xffff)
export const peer: fc.Arbitrary<Peer> = fc.record({ host, port }, { noNullPrototype: true })
export const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b))
export const optional32 = fc.option(bytes32, { nil: null })
export const value = fc.option(fc.uint8Array({ minLength: 0, maxLength: 300 }).map((b) => Buffer.from(b)), { nil: null })
export const command = fc.oneof(
  fc.constantFrom('find_node', 'ping', 'ping_nat', 'values', 'lookup', 'announce'),
  fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
  fc.string({ minLength: 250, maxLength: 300 }) // a multi-byte length prefix
)
export const status = fc.oneof(fc.nat(0xfc), fc.nat(0xffff), fc.nat(0xffffffff), fc.maxSafeNat())

export const request: fc.Arbitrary<Request> = fc.record({
  tid: port, to: peer, id: optional32, token: optional32, target: optional32, command, value
}, { noNullPrototype: true })

export const reply: fc.Arbitrary<Reply> = fc.record({
  tid: port,
  to: peer,
  id: optional32,
  token: optional32,
  closerNodes: fc.option(fc.array(peer, { maxLength: 30 }), { nil: null }),
  status,
  value
}, { noNullPrototype: true })

// Differential: the same datagrams, sent byte for byte to a node of ours and to a
// dht-rpc@5.0.0-rc.6 node (both persistent, neither with a 'request' listener), get the same
// answers: whether there is a reply, from which socket, and every field of it (ids and
// closerNodes compared as what each node's own id and routing table say they must be).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import type DHT from '@dht/rpc'
import type { Peer } from '@dht/rpc'
import { compareDistance } from '@dht/table'
import { RawPeer } from './raw.js'
import { RefDHT, referenceDecode, referenceEncode } from './reference.js'
import type { RefMessage } from './reference.js'
import { createMixedNetwork, peerOf, refPeerOf } from './network.js'
import type { MixedNetwork } from './network.js'

const vectors = createRequire(import.meta.url)('@dht/wire/test-vectors/v5.json') as Array<{ name: string, hex: string }>

const TARGET = Buffer.alloc(32, 0x42)
const TO = { host: '192.0.2.1', port: 1 } // what the sender says it sent to: nobody checks

function request (tid: number, m: Partial<Omit<RefMessage, 'version' | 'from' | 'tid'>> & { command: string }): Buffer {
  return referenceEncode({ tid, to: TO, id: null, token: null, target: null, closerNodes: null, status: 0, value: null, ...m })
}

/** What a datagram got back, in terms that do not depend on which node answered. */
interface Answer {
  replies: Array<{
    fromNodeSocket: boolean
    tid: number
    toIsSender: boolean
    id: 'own' | null | 'other'
    token: 'present' | null
    /** The k closest of the node's table to the target, or null. */
    closerNodes: 'closest to target' | null | Peer[]
    status: number
    value: string | null
  }>
}

describe('the same datagrams to a node of ours and to a dht-rpc@5.0.0-rc.6 node', () => {
  let net: MixedNetwork
  let raw: RawPeer
  let sentinel = 0xf000

  before(async () => {
    // 3 of each, so the tables hold both kinds; ours[0] and refs[0] are the ones asked
    net = await createMixedNetwork({ ours: 3, refs: 3 })
    raw = await RawPeer.create()
  })

  after(async () => {
    await raw.close()
    await net.destroy()
  })

  /** Sends `bytes`, then a ping as a sentinel: whatever comes back before the sentinel's reply is the answer. */
  async function ask (bytes: Uint8Array, to: Peer, ownId: Uint8Array, closest: (target: Uint8Array) => Peer[], target: Uint8Array | null): Promise<Answer> {
    const tid = sentinel++
    await raw.sendBytes(bytes, to)
    await raw.send({ tid, to, command: 'ping' })
    await raw.next((m, r) => m.tid === tid && r.from.port === to.port)
    const got = raw.received.splice(0)
    return {
      replies: got.map((r) => {
        const m = referenceDecode(r.bytes)
        const expectedNodes = target === null ? null : closest(target)
        return {
          fromNodeSocket: r.from.port === to.port,
          tid: m.tid,
          toIsSender: m.to.host === raw.peer.host && m.to.port === raw.peer.port,
          id: m.id === null ? null : Buffer.compare(m.id, ownId) === 0 ? 'own' : 'other',
          token: m.token === null ? null : 'present',
          closerNodes: m.closerNodes === null ? null : JSON.stringify(m.closerNodes) === JSON.stringify(expectedNodes) ? 'closest to target' : m.closerNodes,
          status: m.status,
          value: m.value === null ? null : m.value.toString('hex')
        }
      })
    }
  }

  async function compare (name: string, bytes: Uint8Array, target: Uint8Array | null = null): Promise<Answer> {
    const ours: DHT = net.ours[0]!
    const ref: RefDHT = net.refs[0]!
    const asOurs = await ask(bytes, peerOf(ours), ours.id!, (t) => ours.table.closest(t).map(({ host, port }) => ({ host, port })), target)
    // rc.6's kademlia-routing-table gives the closest nodes bucket by bucket, not strictly by
    // distance: its closerNodes are compared, sorted, with the k closest nodes of its table
    const byDistance = (t: Uint8Array) => (a: Peer, b: Peer): number => compareDistance(t, RefDHT.id(a), RefDHT.id(b))
    const refClosest = (t: Uint8Array): Peer[] => ref.toArray().sort(byDistance(t)).slice(0, 20)
    const asRef = await ask(bytes, refPeerOf(ref), ref.id!, refClosest, target)
    for (const reply of asRef.replies) {
      if (Array.isArray(reply.closerNodes) && target !== null) {
        const sorted = [...reply.closerNodes].sort(byDistance(target))
        if (JSON.stringify(sorted) === JSON.stringify(refClosest(target))) reply.closerNodes = 'closest to target'
      }
    }
    assert.deepEqual(asOurs, asRef, `${name}: ours (actual) and rc.6 (expected) differ`)
    return asOurs
  }

  test('every vector of @dht/wire/test-vectors/v5.json (requests, replies and invalid datagrams)', async () => {
    for (const v of vectors) {
      const bytes = Buffer.from(v.hex, 'hex')
      // the target, when the request has one, is what closerNodes are measured from
      let target: Uint8Array | null = null
      try {
        target = referenceDecode(bytes).target
      } catch {} // an invalid datagram: no reply expected from either
      await compare(v.name, bytes, target)
    }
  })

  test('edge cases of the built-in commands', async () => {
    const answers = {
      pingOf33: await compare('ping with 33 bytes', request(1, { command: 'ping', value: Buffer.alloc(33) })),
      pingWithTarget: await compare('ping with a target', request(2, { command: 'ping', target: TARGET }), TARGET),
      pingWithToken: await compare('ping with a (bad) token', request(3, { command: 'ping', token: Buffer.alloc(32, 1) })),
      pingNatWithValue: await compare('ping_nat with a value', request(4, { command: 'ping_nat', value: Buffer.from('x'), target: TARGET }), TARGET),
      findNodeNoTarget: await compare('find_node without a target', request(5, { command: 'find_node' })),
      findNodeWithValue: await compare('find_node with a value', request(6, { command: 'find_node', target: TARGET, value: Buffer.from('v') }), TARGET),
      unknownWithToken: await compare('an unknown command with a (bad) token', request(7, { command: 'x', target: TARGET, token: Buffer.alloc(32, 2) }), TARGET),
      emptyCommand: await compare('a request whose command is empty', Buffer.from([2, 0b1001, 8, 0, 192, 0, 2, 1, 1, 0, ...TARGET, 0, 0]), TARGET),
      caseMatters: await compare('PING is not ping', request(9, { command: 'PING' })),
      oneByte: await compare('a datagram of one byte', Buffer.from([2])),
      stray: await compare('a reply nobody asked for', referenceEncode({ tid: 10, to: TO, id: null, token: null, target: null, closerNodes: null, command: null, status: 0, value: null }))
    }
    // and, for the record, what those answers are
    assert.equal(answers.pingOf33.replies.length, 0)
    assert.equal(answers.pingWithTarget.replies[0]!.closerNodes, null)
    assert.equal(answers.pingNatWithValue.replies[0]!.fromNodeSocket, false)
    assert.equal(answers.findNodeNoTarget.replies[0]!.closerNodes, null)
    assert.equal(answers.emptyCommand.replies[0]!.status, 1)
    assert.equal(answers.caseMatters.replies[0]!.status, 1)
    assert.equal(answers.oneByte.replies.length + answers.stray.replies.length, 0)
  })
})

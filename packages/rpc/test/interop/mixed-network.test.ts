// A half-and-half network: 30 nodes of ours and 30 dht-rpc@5.0.0-rc.6 nodes, bootstrapped
// from one bootstrap node of each kind, routing, looking up and storing as one network.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type DHT from '@dht/rpc'
import type { DHTReply } from '@dht/rpc'
import { compareDistance } from '@dht/table'
import type { RefDHT, RefMessage } from './reference.js'
import { createMixedNetwork, destroyRef, hex, peerOf, refPeerOf } from './network.js'
import type { Kind, MixedNetwork } from './network.js'

const HALF = 30
const K = 20

function sha256 (value: Uint8Array): Buffer {
  return createHash('sha256').update(value).digest()
}

/** What a node's 'values' handler saw: every commit, with whether its token verified. */
interface Commit {
  kind: Kind
  id: string
  key: string
  commit: boolean
}

describe(`a mixed network: ${HALF} nodes of ours and ${HALF} reference nodes`, () => {
  let net: MixedNetwork
  const commits: Commit[] = []
  const kindOfPort = new Map<number, Kind>()

  // The README's key-value store, on both kinds of node: a commit stores sha256(value) -> value,
  // anything else replies with the value stored under the target (or nothing).
  function serveValues (kind: Kind, id: () => Uint8Array, node: DHT | RefDHT): void {
    const values = new Map<string, Uint8Array>()
    const onrequest = (req: { command: string, commit: boolean, token: Uint8Array | null, target: Uint8Array | null, value: Uint8Array | null, reply (value: Uint8Array | null): unknown }): void => {
      if (req.command !== 'values') return
      if (req.token !== null || req.commit) {
        commits.push({ kind, id: hex(id()), key: req.value === null ? '' : hex(sha256(req.value)), commit: req.commit })
      }
      if (req.commit) {
        if (req.value === null) return void req.reply(null)
        values.set(hex(sha256(req.value)), req.value)
        return void req.reply(null)
      }
      req.reply(req.target === null ? null : values.get(hex(req.target)) ?? null)
    }
    ;(node as DHT).on('request', onrequest)
  }

  before(async () => {
    net = await createMixedNetwork({ ours: HALF, refs: HALF, bootstrap: 'both' })
    for (const node of net.ours) {
      kindOfPort.set(peerOf(node).port, 'ours')
      serveValues('ours', () => node.id!, node)
    }
    for (const node of net.refs) {
      kindOfPort.set(refPeerOf(node).port, 'ref')
      serveValues('ref', () => node.id!, node)
    }
  })

  after(() => net.destroy())

  /** The k persistent nodes nearest to `target` but for the asker (a lookup never asks itself), as hex ids. */
  function trueClosest (target: Uint8Array, asker: Uint8Array): string[] {
    const ids = net.all().map((n) => n.id).filter((id) => hex(id) !== hex(asker))
    return ids.sort((a, b) => compareDistance(target, a, b)).slice(0, K).map(hex)
  }

  test('every node is persistent and each side\'s routing tables hold nodes of the other', () => {
    let cross = 0
    let total = 0
    for (const node of [...net.ours, ...net.refs]) {
      assert.equal(node.ephemeral, false)
      const kind = net.ours.includes(node as DHT) ? 'ours' : 'ref'
      const table = node.toArray()
      const other = table.filter((p) => kindOfPort.get(p.port) !== kind && kindOfPort.has(p.port))
      assert.ok(other.length > 0, `a ${kind} node knows ${table.length} nodes, none of the other kind`)
      assert.ok(table.every((p) => kindOfPort.has(p.port)), 'only persistent nodes are in routing tables')
      cross += other.length
      total += table.length
    }
    // about half of every table is the other kind
    assert.ok(cross / total > 0.3, `${cross} of ${total} table entries are of the other kind`)
  })

  test('our nodes find reference node ids', async () => {
    for (const [i, target] of [net.refs[3]!, net.refs[17]!, net.refs[29]!].entries()) {
      const asker = net.ours[i * 7]!
      const query = asker.query(target.id!, 'find_node', null)
      const replies: DHTReply[] = []
      for await (const reply of query) replies.push(reply)
      assert.deepEqual(query.closestNodes[0]!.id, target.id, 'the reference node is the closest')
      assert.equal(query.closestNodes[0]!.port, refPeerOf(target).port)
      assert.ok(replies.some((r) => kindOfPort.get(r.from.port) === 'ref') && replies.some((r) => kindOfPort.get(r.from.port) === 'ours'))
      assert.deepEqual(query.closestNodes.map((n) => hex(n.id)), trueClosest(target.id!, asker.id!), 'and the k closest are exactly the true k closest')
    }
  })

  test('reference nodes find our node ids', async () => {
    for (const [i, target] of [net.ours[2]!, net.ours[15]!, net.ours[28]!].entries()) {
      const asker = net.refs[i * 7 + 1]!
      const query = asker.query(target.id!, 'find_node', null)
      const replies: RefMessage[] = []
      for await (const reply of query) replies.push(reply)
      assert.deepEqual(query.closestReplies[0]!.id, Buffer.from(target.id!), 'our node is the closest')
      assert.equal(query.closestReplies[0]!.from!.port, peerOf(target).port)
      assert.ok(replies.some((r) => kindOfPort.get(r.from!.port) === 'ours'), 'our nodes answered the reference lookup')
    }
  })

  test('a value committed from one of ours reaches the k closest nodes of both kinds with valid tokens, and a reference node reads it', async () => {
    const value = Buffer.from('committed by one of ours')
    const key = sha256(value)
    commits.length = 0
    const asker = net.ours[5]!
    const query = asker.query(key, 'values', value, { commit: true })
    await query.finished()

    const closest = query.closestReplies.map((r) => hex(r.id!))
    assert.deepEqual(closest, trueClosest(key, asker.id!), 'our lookup found exactly the true k closest')
    assert.equal(commits.length, K, 'one commit per closest node')
    assert.ok(commits.every((c) => c.commit && c.key === hex(key)), 'every commit carried a token that its node verified')
    assert.deepEqual(commits.map((c) => c.id).sort(), [...closest].sort())
    assert.ok(commits.some((c) => c.kind === 'ours') && commits.some((c) => c.kind === 'ref'), 'both kinds stored it')

    const found: RefMessage[] = []
    for await (const reply of net.refs[11]!.query(key, 'values')) {
      if (reply.value !== null && hex(sha256(reply.value)) === hex(key)) found.push(reply)
    }
    assert.ok(found.length > 0, 'the reference lookup read the value')
    assert.ok(found.some((r) => kindOfPort.get(r.from!.port) === 'ours'), 'from our nodes')
    assert.ok(found.some((r) => kindOfPort.get(r.from!.port) === 'ref'), 'and from reference nodes')
  })

  test('a value committed from a reference node reaches our nodes with valid tokens, and our node reads it', async () => {
    const value = Buffer.from('committed by a reference node')
    const key = sha256(value)
    commits.length = 0
    const query = net.refs[8]!.query(key, 'values', value, { commit: true })
    await query.finished()

    const closest = query.closestReplies.map((r) => hex(r.id!))
    assert.equal(closest.length, K)
    assert.equal(commits.length, K, 'one commit per closest node')
    assert.ok(commits.every((c) => c.commit && c.key === hex(key)), 'every commit carried a token that its node verified')
    assert.deepEqual(commits.map((c) => c.id).sort(), [...closest].sort())
    assert.ok(commits.some((c) => c.kind === 'ours') && commits.some((c) => c.kind === 'ref'), 'both kinds stored it')

    const found: DHTReply[] = []
    for await (const reply of net.ours[20]!.query(key, 'values', null)) {
      if (reply.value !== null && hex(sha256(reply.value)) === hex(key)) found.push(reply)
    }
    assert.ok(found.some((r) => kindOfPort.get(r.from.port) === 'ours'), 'our lookup read the value from our nodes')
    assert.ok(found.some((r) => kindOfPort.get(r.from.port) === 'ref'), 'and from reference nodes')
  })

  test('the README\'s read loop: a reference node stops at the first reply with the value', async () => {
    const value = Buffer.from('hello world')
    const key = sha256(value)
    await net.ours[0]!.query(key, 'values', value, { commit: true }).finished()
    let read: Buffer | null = null
    for await (const data of net.refs[0]!.query(key, 'values')) {
      if (data.value !== null && hex(sha256(data.value)) === hex(key)) {
        read = data.value
        break
      }
    }
    assert.deepEqual(read, value)
  })

  test('a lookup seeded with the other implementation\'s closestNodes finds the closest nodes', async () => {
    const target = sha256(Buffer.from('seeded lookups'))
    const ours = net.ours[9]!.query(target, 'find_node', null)
    await ours.finished()
    const refSeeded = net.refs[9]!.query(target, 'find_node', null, { nodes: ours.closestNodes })
    await refSeeded.finished()
    // the closest of all nodes: our asker (which its own lookup leaves out) or, when rc.6's
    // asker is among the seeds, that one (rc.6 asks seeds even when they are itself)
    const everyone = net.all().map((n) => n.id).sort((a, b) => compareDistance(target, a, b))
    assert.equal(hex(refSeeded.closestReplies[0]!.id!), hex(everyone[0]!))

    const ref = net.refs[10]!.query(target, 'find_node', null)
    await ref.finished()
    const oursSeeded = net.ours[10]!.query(target, 'find_node', null, { nodes: ref.closestNodes })
    await oursSeeded.finished()
    // (rc.6's own lookup may have missed a few of the true closest; ours, seeded with them, does not)
    assert.deepEqual(oursSeeded.closestNodes.map((n) => hex(n.id)), trueClosest(target, net.ours[10]!.id!))
  })

  test('with reference nodes gone, our lookup passes them by and commits to the k closest live nodes', async () => {
    const value = Buffer.from('after some reference nodes left')
    const key = sha256(value)
    const asker = net.ours[12]!
    // the closest reference nodes to the key leave without a word; everyone's table still has them
    const gone = net.refs.filter((n) => n !== net.refs[0]).sort((a, b) => compareDistance(key, a.id!, b.id!)).slice(0, 4)
    const goneIds = new Set(gone.map((n) => hex(n.id!)))
    const live = trueClosest(key, asker.id!).filter((id) => !goneIds.has(id))
    await Promise.all(gone.map((n) => destroyRef(n)))
    net.refs.splice(0, net.refs.length, ...net.refs.filter((n) => !gone.includes(n)))

    commits.length = 0
    const query = asker.query(key, 'values', value, { commit: true })
    await query.finished()
    assert.ok(query.errors >= 1, 'it asked at least one of the nodes that left')
    const closest = query.closestReplies.map((r) => hex(r.id!))
    assert.equal(closest.length, K)
    assert.ok(closest.every((id) => !goneIds.has(id)))
    // The dead entries still take 4 of the k closerNodes in every reply, so the last few live
    // nodes can be crowded out of every list; the 16 nearest cannot.
    for (const id of live.slice(0, K - gone.length)) assert.ok(closest.includes(id), 'one of the 16 nearest live nodes is missing')
    assert.deepEqual(commits.map((c) => c.id).sort(), [...closest].sort())
    assert.ok(commits.every((c) => c.commit))
  })

  test('no datagram that either side sent failed to decode on the other, nor raised any warning', () => {
    assert.deepEqual(net.warnings.map((w) => `${w.kind}: ${w.err.message}`), [])
    assert.ok(net.ours.every((node) => node.io.stats.invalidDatagrams === 0))
  })
})

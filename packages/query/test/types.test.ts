// A consumer's view: this file only compiles if the published types of @dht/query are usable
// from another package (async iteration typed by map, finished(), closestNodes, a QueryHost
// written as an object literal, commit functions typed by their owner).

import test from 'node:test'
import assert from 'node:assert/strict'
import { Query } from '@dht/query'
import type { ClosestNode, CommitFunction, QueryHost, QueryNode, QueryOptions } from '@dht/query'
import type { IO, IncomingReply } from '@dht/io'
import type { Readable } from 'streamx'
import { FakeNetwork } from './support/network.js'
import { drive } from './support/drive.js'

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false
function expectType<A, B> (_proof: Equals<A, B>): void {}

interface Node { readonly name: string }

// IO.send of @dht/io is a QueryHost's send as it is
export function hostSend (io: IO): QueryHost['send'] {
  return (m, opts, handlers) => io.send(m, opts, handlers)
}

test('the public types work for a consumer', async () => {
  const net = new FakeNetwork({ size: 60 })
  const inner = net.host()
  const host: QueryHost = {
    id: inner.id,
    requestId: null,
    closest: (target: Uint8Array, n: number): readonly QueryNode[] => inner.closest(target, n),
    bootstrapNodes: async () => [],
    send: (m, opts, handlers) => inner.send(m, opts, handlers)
  }
  const owner: Node = { name: 'node' }
  const commit: CommitFunction<Node, number> = async (reply, dht, query) => {
    expectType<IncomingReply, typeof reply>(true)
    expectType<Node, typeof dht>(true)
    expectType<Query<Node, number>, typeof query>(true)
  }
  const opts: QueryOptions<Node, number> = { map: (r) => r.from.port, concurrency: 4, commit: undefined }
  const q = new Query(host, new Uint8Array(32), 'find_node', null, opts, owner)
  expectType<Query<Node, number>, typeof q>(true)
  const stream: Readable = q // a query is a streamx Readable for pipeline() and friends
  assert.equal(stream, q)
  void commit

  const ports: number[] = []
  const iterating = (async () => {
    for await (const port of q) {
      expectType<number, typeof port>(true)
      ports.push(port)
    }
  })()
  await drive(net, q)
  await iterating
  const done: Promise<void> = q.finished()
  await done
  const nodes: ClosestNode[] = q.closestNodes
  const replies: readonly IncomingReply[] = q.closestReplies
  const counters: number[] = [q.successes, q.errors, q.inflight, q.stalled, q.concurrency]
  assert.equal(nodes.length, 20)
  assert.equal(replies.length, 20)
  assert.equal(ports.length, q.successes)
  assert.equal(counters.length, 5)

  const plain = new Query(host, new Uint8Array(32), 'find_node', null, undefined, null)
  expectType<Query<null, IncomingReply>, typeof plain>(true)
  plain.on('data', (reply) => { expectType<IncomingReply, typeof reply>(true) })
  plain.destroy()
})

import test from 'node:test'
import assert from 'node:assert/strict'
import { FRESH_TOKEN_MS, Query, isQueryError } from '@dht/query'
import type { IncomingReply } from '@dht/io'
import { FakeNetwork, answerWithTable } from './support/network.js'
import { hex } from './support/ids.js'
import { run } from './support/run.js'
import { compareDistance } from '@dht/table'

const target = new Uint8Array(32).fill(0x3c)
const value = Uint8Array.from([7, 7, 7])

function trackUnhandled (): { readonly count: number, stop (): void } {
  let count = 0
  const on = (): void => { count++ }
  process.on('unhandledRejection', on)
  return {
    get count () { return count },
    stop () { process.removeListener('unhandledRejection', on) }
  }
}

test('commit: true sends one commit per closest reply, with its token, after the traversal', async () => {
  const net = new FakeNetwork({ size: 300 })
  const host = net.host()
  const q = new Query(host, target, 'put', value, { commit: true }, null)
  const { error, sends } = await run(net, q)
  assert.equal(error, null)
  const commits = sends.filter((s) => s.m.token !== null)
  assert.equal(commits.length, 20)
  assert.equal(net.commits.length, 20, 'every token was valid')
  const closest = q.closestReplies.map((r) => `${r.from.host}:${r.from.port}`)
  assert.deepEqual(new Set(commits.map((s) => `${s.m.to.host}:${s.m.to.port}`)), new Set(closest))
  for (const c of commits) {
    const node = net.node(c.m.to.host, c.m.to.port)!
    assert.deepEqual(Buffer.from(c.m.token!), Buffer.from(node.token))
    assert.deepEqual(c.m.target, target)
    assert.equal(c.m.command, 'put')
    assert.deepEqual(c.m.value, value)
    assert.equal(c.m.id, host.id)
  }
  const firstCommit = sends.findIndex((s) => s.m.token !== null)
  assert.ok(sends.slice(firstCommit).every((s) => s.m.token !== null), 'no lookup request after the commits began')
  assert.deepEqual(q.closestReplies.map((r) => hex(r.id!)), net.trueClosest(target).map((n) => hex(n.id)))
})

test('a commit function gets (reply, owner, query) for each closest reply, after every reply was pushed', async () => {
  const net = new FakeNetwork({ size: 200 })
  const owner = { name: 'the node' }
  const events: string[] = []
  const calls: Array<{ reply: IncomingReply, dht: typeof owner, query: unknown }> = []
  const q = new Query(net.host(), target, 'put', value, {
    map (reply) {
      events.push('push') // map runs as each reply is pushed
      return reply
    },
    async commit (reply, dht, query) {
      events.push('commit')
      calls.push({ reply, dht, query })
    }
  }, owner)
  const { error } = await run(net, q)
  assert.equal(error, null)
  assert.equal(calls.length, 20)
  assert.deepEqual(calls.map((c) => c.reply), [...q.closestReplies])
  assert.ok(calls.every((c) => c.dht === owner && c.query === q))
  const firstCommit = events.indexOf('commit')
  assert.equal(events.lastIndexOf('push') < firstCommit, true, 'commits run after every reply was pushed')
  assert.equal(events.filter((e) => e === 'push').length, q.successes)
})

test('committing with no closest replies fails with NO_CLOSEST_REPLIES', async () => {
  const net = new FakeNetwork({ size: 50, dead: 1 })
  const unhandled = trackUnhandled()
  const q = new Query(net.host(), target, 'put', value, { commit: true }, null)
  const { error } = await run(net, q)
  assert.ok(isQueryError(error, 'NO_CLOSEST_REPLIES'))
  assert.match(error.message, /Too few nodes responded/)
  const empty = new Query(net.host({ table: [] }), target, 'put', value, { commit: () => {} }, null)
  const second = await run(net, empty)
  assert.ok(isQueryError(second.error, 'NO_CLOSEST_REPLIES'))
  await new Promise((resolve) => setImmediate(resolve))
  unhandled.stop()
  assert.equal(unhandled.count, 0)
})

test('when every commit fails, the query fails with COMMIT_FAILED and every error as its cause', async () => {
  const net = new FakeNetwork({ size: 200 })
  const unhandled = trackUnhandled()
  let i = 0
  const q = new Query(net.host(), target, 'put', value, {
    commit () {
      if (i++ % 2 === 0) throw new Error(`sync ${i}`)
      return Promise.reject(new Error(`async ${i}`))
    }
  }, null)
  const { error } = await run(net, q)
  assert.ok(isQueryError(error, 'COMMIT_FAILED'))
  assert.ok(error.cause instanceof AggregateError)
  assert.equal(error.cause.errors.length, 20)
  await new Promise((resolve) => setImmediate(resolve))
  unhandled.stop()
  assert.equal(unhandled.count, 0)
})

test('one successful commit is enough; the others may fail without an unhandled rejection', async () => {
  const net = new FakeNetwork({ size: 200 })
  const unhandled = trackUnhandled()
  let i = 0
  const q = new Query(net.host(), target, 'put', value, {
    async commit () {
      if (i++ !== 7) throw new Error('refused')
    }
  }, null)
  const { error } = await run(net, q)
  assert.equal(error, null)
  assert.equal(i, 20)
  await new Promise((resolve) => setImmediate(resolve))
  unhandled.stop()
  assert.equal(unhandled.count, 0)
})

test('auto-commit fails a reply without a token, and a commit answered with an error status', async () => {
  const net = new FakeNetwork({ size: 100 })
  // find_node hands out no tokens
  const noTokens = new Query(net.host(), target, 'find_node', null, { commit: true }, null)
  const first = await run(net, noTokens)
  assert.ok(isQueryError(first.error, 'COMMIT_FAILED'))
  const causes = (first.error.cause as AggregateError).errors
  assert.equal(causes.length, 20)
  assert.ok(causes.every((e) => isQueryError(e, 'NO_TOKEN')))
  assert.equal(first.sends.filter((s) => s.m.token !== null).length, 0)

  // a node that rejects every commit with status 2
  net.responder = (node, m) => ({ status: m.token === null ? 0 : 2, token: node.token })
  const rejected = new Query(net.host(), target, 'put', value, { commit: true }, null)
  const second = await run(net, rejected)
  assert.ok(isQueryError(second.error, 'COMMIT_FAILED'))
  assert.equal(second.sends.filter((s) => s.m.token !== null).length, 20)
})

test('destroying a query while it commits cancels the commit requests', async () => {
  const net = new FakeNetwork({ size: 100 })
  // commits are answered only after 500 ms of clock time
  net.responder = (node, m) => m.token === null ? { status: 0, token: node.token } : { status: 0, delay: 500 }
  const q = new Query(net.host(), target, 'put', value, { commit: true }, null)
  const finished = q.finished()
  for (let i = 0; i < 100 && !net.sent.some((s) => s.m.token !== null); i++) await new Promise((resolve) => setImmediate(resolve))
  const commits = net.sent.filter((s) => s.m.token !== null)
  assert.equal(commits.length, 20)
  q.destroy()
  await finished
  assert.ok(commits.every((s) => s.state === 'cancelled'))
})

test('commit: true asks again for a token older than FRESH_TOKEN_MS before committing with it', async () => {
  const net = new FakeNetwork({ size: 200 })
  // handlers that take 1.5 s: the lookup takes several of those, and its first replies' tokens age
  net.responder = (node, m, n) => ({ ...answerWithTable(node, m, n), delay: 1500 })
  const answeredAt = new Map<string, number>()
  // a table far from the target: the lookup takes several hops
  const far = [...net.nodes].sort((a, b) => compareDistance(target, b.id, a.id)).slice(0, 10)
  const q = new Query(net.host({ table: far }), target, 'put', value, {
    commit: true,
    map: (reply) => {
      answeredAt.set(`${reply.from.host}:${reply.from.port}`, net.clock.now())
      return reply
    }
  }, null)
  const { error, sends } = await run(net, q)
  assert.equal(error, null)
  const firstCommit = sends.find((s) => s.m.token !== null)!
  const end = firstCommit.at // the traversal ended, the commits began
  const afterEnd = sends.filter((s) => s.at >= end)
  let renewed = 0
  for (const reply of q.closestReplies) {
    const key = `${reply.from.host}:${reply.from.port}`
    const toNode = afterEnd.filter((s) => `${s.m.to.host}:${s.m.to.port}` === key)
    const age = end - answeredAt.get(key)!
    if (age > FRESH_TOKEN_MS) {
      renewed++
      assert.deepEqual(toNode.map((s) => s.m.token === null), [true, false], `${key}: a token ${age} ms old is asked for again, then used`)
    } else {
      assert.deepEqual(toNode.map((s) => s.m.token === null), [false], `${key}: a token ${age} ms old is used as it is`)
    }
  }
  assert.ok(renewed > 0, 'some tokens were old enough to renew')
  assert.equal(net.commits.length, 20)
})

import test from 'node:test'
import assert from 'node:assert/strict'
import { Query, QueryError, isQueryError } from '@dht/query'
import type { QueryOptions } from '@dht/query'
import { FakeNetwork } from './support/network.js'

const net = new FakeNetwork({ size: 5 })
const host = net.host()
const target = new Uint8Array(32)

function invalid (field: string): (err: unknown) => boolean {
  return (err) => isQueryError(err, 'INVALID_ARGUMENT') && err.message.startsWith(field + ' must be')
}

// calls the constructor with values the types forbid, as JavaScript callers can
function make (t: unknown, command: unknown, value: unknown, opts: unknown): Query {
  return new Query(host, t as Uint8Array, command as string, value as Uint8Array | null, opts as QueryOptions, null)
}

test('a bad target throws INVALID_ARGUMENT naming it', () => {
  for (const bad of [null, 'abc', new Uint8Array(31), new Uint8Array(33), [1, 2, 3]]) {
    assert.throws(() => make(bad, 'find_node', null, undefined), invalid('target'))
  }
})

test('a bad command or value throws INVALID_ARGUMENT naming it', () => {
  for (const bad of ['', null, 42]) assert.throws(() => make(target, bad, null, undefined), invalid('command'))
  for (const bad of ['x', 1, {}]) assert.throws(() => make(target, 'find_node', bad, undefined), invalid('value'))
  assert.doesNotThrow(() => make(target, 'find_node', new Uint8Array(3), undefined).destroy())
})

test('bad options throw INVALID_ARGUMENT naming the option', () => {
  const cases: Array<[unknown, string]> = [
    ['opts', 'opts'],
    [{ concurrency: 0 }, 'opts.concurrency'],
    [{ concurrency: 1.5 }, 'opts.concurrency'],
    [{ concurrency: '3' }, 'opts.concurrency'],
    [{ map: 'x' }, 'opts.map'],
    [{ commit: 'yes' }, 'opts.commit'],
    [{ commit: 1 }, 'opts.commit'],
    [{ nodes: {} }, 'opts.nodes'],
    [{ nodes: [null] }, 'opts.nodes[0]'],
    [{ nodes: [{ host: '10.0.0.1' }] }, 'opts.nodes[0].port'],
    [{ nodes: [{ host: '10.0.0.1', port: 1 }, { port: 1 }] }, 'opts.nodes[1].host'],
    [{ nodes: [{ host: '10.0.0.1', port: 70000 }] }, 'opts.nodes[0].port'],
    [{ nodes: [{ host: '10.0.0.1', port: 1, id: new Uint8Array(4) }] }, 'opts.nodes[0].id'],
    [{ closestNodes: 'x' }, 'opts.closestNodes']
  ]
  for (const [opts, field] of cases) assert.throws(() => make(target, 'find_node', null, opts), invalid(field), field)
})

test('good options pass', () => {
  const ok: unknown[] = [
    undefined,
    {},
    { commit: false, concurrency: 2, map: () => null },
    { nodes: [{ host: '10.0.0.1', port: 1 }, { id: null, host: '10.0.0.2', port: 2 }, { id: target, host: '10.0.0.3', port: 3 }] },
    { closestNodes: [], commit: async () => {} }
  ]
  for (const opts of ok) make(target, 'find_node', null, opts).destroy()
})

test('setting concurrency to a bad value throws and keeps the old one', () => {
  const q = make(target, 'find_node', null, { concurrency: 4 })
  assert.throws(() => { q.concurrency = 0 }, invalid('concurrency'))
  assert.equal(q.concurrency, 4)
  q.destroy()
})

test('QueryError has a code, a name, static factories and a predicate', () => {
  const err = QueryError.NO_CLOSEST_REPLIES()
  assert.ok(err instanceof Error)
  assert.equal(err.name, 'QueryError')
  assert.equal(err.code, 'NO_CLOSEST_REPLIES')
  assert.ok(isQueryError(err))
  assert.ok(isQueryError(err, 'NO_CLOSEST_REPLIES'))
  assert.ok(!isQueryError(err, 'COMMIT_FAILED'))
  assert.ok(!isQueryError(new Error('x')))
  const failed = QueryError.COMMIT_FAILED([new Error('a'), new Error('b')])
  assert.equal(failed.code, 'COMMIT_FAILED')
  assert.ok(failed.cause instanceof AggregateError)
  assert.equal(failed.cause.errors.length, 2)
})

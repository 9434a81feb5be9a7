import test from 'node:test'
import assert from 'node:assert/strict'
import { ALLOWED, describeAllowed, findCycles, graphOf } from '../src/graph.js'

test('the allowed graph has no cycle', () => {
  assert.deepEqual(findCycles(graphOf(ALLOWED)), [])
})

test('the allowed graph only names its own packages', () => {
  for (const [name, targets] of Object.entries(ALLOWED)) {
    for (const target of targets) assert.ok(target in ALLOWED, `${name} -> ${target}`)
  }
})

test('findCycles reports each cycle once, from its smallest node', () => {
  const graph = graphOf({ a: ['b'], b: ['c', 'a'], c: ['b'], d: ['d'] })
  assert.deepEqual(findCycles(graph), [['a', 'b', 'a'], ['b', 'c', 'b']])
})

test('describeAllowed words leaves, inner packages and strangers', () => {
  assert.equal(describeAllowed('wire', ALLOWED), 'wire is a leaf and may not depend on any @dht package')
  assert.equal(describeAllowed('rpc', ALLOWED), 'rpc may only depend on io, nat, query, table, wire')
  assert.equal(describeAllowed('x', ALLOWED), 'x is not in the dependency graph (tools/checks/src/graph.ts)')
})

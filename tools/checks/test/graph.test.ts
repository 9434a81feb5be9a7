import test from 'node:test'
import assert from 'node:assert/strict'
import { ALLOWED, TEST_ONLY, describeAllowed, describeTestAllowed, findCycles, graphOf } from '../src/graph.js'

test('the allowed graph has no cycle', () => {
  assert.deepEqual(findCycles(graphOf(ALLOWED)), [])
})

test('the allowed graph only names its own packages', () => {
  for (const [name, targets] of Object.entries(ALLOWED)) {
    for (const target of targets) assert.ok(target in ALLOWED, `${name} -> ${target}`)
  }
})

test('the test-only table names packages of the graph, and only edges the allowed graph lacks', () => {
  for (const [name, targets] of Object.entries(TEST_ONLY)) {
    assert.ok(name in ALLOWED, name)
    for (const target of targets) {
      assert.ok(target in ALLOWED, `${name} -> ${target}`)
      assert.ok(!(ALLOWED[name] ?? []).includes(target), `${name} -> ${target} is already allowed`)
    }
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
  assert.equal(describeTestAllowed('io', ALLOWED, TEST_ONLY), "io's tests may only use sim, wire")
  assert.equal(describeTestAllowed('wire', ALLOWED, TEST_ONLY), "wire's tests may not use any @dht package")
})

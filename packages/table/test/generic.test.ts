import test from 'node:test'
import assert from 'node:assert/strict'
import { RoutingTable } from '@dht/table'
import type { CreateEntry, TableEntry } from '@dht/table'
import { idWith } from './helpers.js'

/** What the full node keeps per entry: the address it saw us at, for NAT sampling. */
interface NodeEntry extends TableEntry {
  to: { host: string, port: number } | null
}

const create: CreateEntry<NodeEntry> = (node, tick) => ({
  id: node.id,
  host: node.host,
  port: node.port,
  added: tick,
  seen: tick,
  prev: null,
  next: null,
  to: node.to
})

test('a table of a custom entry type builds entries with create() and returns them typed', () => {
  const table = new RoutingTable<NodeEntry>(new Uint8Array(32), { create })
  const res = table.add({ id: idWith(0x80), host: '10.0.0.1', port: 1, to: { host: '1.1.1.1', port: 2 } }, 5)
  assert.ok(res.type === 'added')
  assert.deepEqual(res.entry.to, { host: '1.1.1.1', port: 2 })
  res.entry.to = null // extra fields are the caller's to change

  const again = table.add({ id: idWith(0x80), host: '10.0.0.1', port: 1, to: null }, 6)
  assert.ok(again.type === 'refreshed')
  assert.equal(again.entry, res.entry)

  const closest: NodeEntry[] = table.closest(new Uint8Array(32))
  assert.equal(closest[0]?.to, null)
  assert.deepEqual(Object.keys(res.entry), ['id', 'host', 'port', 'added', 'seen', 'prev', 'next', 'to'])
})

test('create() is called only for nodes that go in', () => {
  let calls = 0
  const counting: CreateEntry<NodeEntry> = (node, tick) => { calls++; return create(node, tick) }
  const table = new RoutingTable<NodeEntry>(new Uint8Array(32), { k: 1, create: counting })
  const to = null
  assert.equal(table.add({ id: idWith(0x80), host: 'a', port: 1, to }, 0).type, 'added')
  assert.equal(table.add({ id: idWith(0x80), host: 'a', port: 1, to }, 1).type, 'refreshed')
  assert.equal(table.add({ id: idWith(0x81), host: 'a', port: 1, to }, 2).type, 'full')
  assert.equal(table.add({ id: new Uint8Array(32), host: 'a', port: 1, to }, 3).type, 'self')
  assert.equal(calls, 1)
})

test('rekey() keeps the entry type and create()', () => {
  const table = new RoutingTable<NodeEntry>(new Uint8Array(32), { k: 3, create })
  table.add({ id: idWith(0x80), host: 'a', port: 1, to: null }, 0)
  const { table: next } = table.rekey(idWith(0x01))
  assert.equal(next.k, 3)
  const res = next.add({ id: idWith(0x02), host: 'b', port: 2, to: { host: 'c', port: 3 } }, 1)
  assert.ok(res.type === 'added')
  assert.deepEqual(res.entry.to, { host: 'c', port: 3 })
  assert.equal(next.get(idWith(0x80))?.to, null)
})

test('types: create is required exactly when the entry type has extra fields', () => {
  // @ts-expect-error -- NodeEntry has a field the table cannot make up, so create is required
  assert.throws(() => new RoutingTable<NodeEntry>(new Uint8Array(31)))
  // @ts-expect-error -- add() needs the extra fields too
  assert.throws(() => new RoutingTable<NodeEntry>(new Uint8Array(32), { create }).add({ id: new Uint8Array(1), host: 'a', port: 1 }, 0))
  const plain = new RoutingTable(new Uint8Array(32)) // TableEntry: options are optional
  assert.equal(plain.k, 20)
})

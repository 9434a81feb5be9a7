import test from 'node:test'
import assert from 'node:assert/strict'
import { RoutingTable, TableError, isTableError } from '@dht/table'
import type { TableErrorCode } from '@dht/table'
import { idWith, node } from './helpers.js'

const ZERO = new Uint8Array(32)

function throwsCode (fn: () => unknown, code: TableErrorCode, mentions: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isTableError(err, code), `expected ${code}, got ${String(err)}`)
    assert.ok(err.message.includes(mentions), `"${err.message}" should mention ${mentions}`)
    return true
  })
}

const badIds: unknown[] = [new Uint8Array(31), new Uint8Array(33), 'a'.repeat(32), null, undefined, new Array(32).fill(0), 42, new Uint16Array(16)]

test('an id that is not a 32-byte Uint8Array is INVALID_ID, wherever it is passed', () => {
  const table = new RoutingTable(ZERO)
  for (const bad of badIds) {
    const id = bad as Uint8Array
    throwsCode(() => new RoutingTable(id), 'INVALID_ID', 'id')
    throwsCode(() => table.add({ id, host: '1.2.3.4', port: 1 }, 0), 'INVALID_ID', 'node.id')
    throwsCode(() => table.get(id), 'INVALID_ID', 'id')
    throwsCode(() => table.has(id), 'INVALID_ID', 'id')
    throwsCode(() => table.remove(id), 'INVALID_ID', 'id')
    throwsCode(() => table.seen({ id }, 0), 'INVALID_ID', 'node.id')
    throwsCode(() => table.closest(id), 'INVALID_ID', 'target')
    throwsCode(() => table.rekey(id), 'INVALID_ID', 'id')
  }
  throwsCode(() => table.get(new Uint8Array(31)), 'INVALID_ID', 'got a 31-byte Uint8Array')
})

test('n that is not a non-negative integer is INVALID_ARGUMENT', () => {
  const table = new RoutingTable(ZERO)
  for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number]) {
    throwsCode(() => table.closest(ZERO, n), 'INVALID_ARGUMENT', 'n must be a non-negative integer')
    throwsCode(() => table.oldest(n), 'INVALID_ARGUMENT', 'n must be')
  }
})

test('bad ticks, addresses and options are INVALID_ARGUMENT', () => {
  const table = new RoutingTable(ZERO)
  const id = idWith(0x80)
  for (const tick of [1.5, Number.NaN, '1' as unknown as number, Number.MAX_SAFE_INTEGER + 2]) {
    throwsCode(() => table.add(node(id), tick), 'INVALID_ARGUMENT', 'tick')
    throwsCode(() => table.seen({ id }, tick), 'INVALID_ARGUMENT', 'tick')
  }
  for (const port of [-1, 65536, 1.5, '80' as unknown as number]) {
    throwsCode(() => table.add({ id, host: '1.2.3.4', port }, 0), 'INVALID_ARGUMENT', 'node.port')
  }
  throwsCode(() => table.add({ id, host: 1 as unknown as string, port: 1 }, 0), 'INVALID_ARGUMENT', 'node.host')
  for (const k of [0, -1, 2.5, Number.NaN]) throwsCode(() => new RoutingTable(ZERO, { k }), 'INVALID_ARGUMENT', 'options.k')
  throwsCode(() => new RoutingTable(ZERO, { create: 'no' as never }), 'INVALID_ARGUMENT', 'options.create')
  assert.equal(table.size, 0, 'nothing was added by the failed calls')
})

test('TableError: code, name, static factories and the predicate', () => {
  const a = TableError.INVALID_ID('target', 'x')
  assert.ok(a instanceof Error)
  assert.equal(a.name, 'TableError')
  assert.equal(a.code, 'INVALID_ID')
  assert.equal(a.message, 'INVALID_ID: target must be a 32-byte Uint8Array, got "x"')
  const b = TableError.INVALID_ARGUMENT('n', 'a non-negative integer', -1)
  assert.equal(b.code, 'INVALID_ARGUMENT')
  assert.equal(b.message, 'INVALID_ARGUMENT: n must be a non-negative integer, got -1')
  assert.equal(isTableError(a), true)
  assert.equal(isTableError(a, 'INVALID_ID'), true)
  assert.equal(isTableError(a, 'INVALID_ARGUMENT'), false)
  assert.equal(isTableError(new Error('x')), false)
  assert.equal(isTableError(null), false)
  assert.equal(isTableError({ code: 'INVALID_ID' }), false)
})

import test from 'node:test'
import assert from 'node:assert/strict'
import { importPath, moduleEntries } from '../src/entries.js'

test('moduleEntries lists the exports that are modules, "." first', () => {
  assert.deepEqual(moduleEntries({
    './testnet': { types: './dist/testnet.d.ts', default: './dist/testnet.js' },
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './test-vectors/v5.json': './test-vectors/v5.json',
    './package.json': './package.json',
    './internal/*': null
  }), ['.', './testnet'])
  assert.deepEqual(moduleEntries('./dist/index.js'), ['.'])
  assert.deepEqual(moduleEntries({ import: './dist/index.mjs', require: './dist/index.cjs' }), ['.'])
  assert.deepEqual(moduleEntries(undefined), [])
  assert.throws(() => moduleEntries({ './*': './dist/*.js' }), /wildcard/)
})

test('importPath names an entry as a user imports it', () => {
  assert.equal(importPath('@dht/rpc', '.'), '@dht/rpc')
  assert.equal(importPath('@dht/rpc', './testnet'), '@dht/rpc/testnet')
})

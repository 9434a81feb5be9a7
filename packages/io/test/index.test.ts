import test from 'node:test'
import assert from 'node:assert/strict'
import { PACKAGE_NAME } from '@dht/io'

test('the package resolves through its exports map', () => {
  assert.equal(PACKAGE_NAME, '@dht/io')
})

import test from 'node:test'
import assert from 'node:assert/strict'
import { Warnings } from '../../dist/cli/warnings.js'

test('a warning is shown once, then held back while it repeats within a minute', () => {
  const shown: string[] = []
  let now = 0
  const warnings = new Warnings((line) => shown.push(line), () => now)
  warnings.add(new Error('Bootstrap failed: no node answered (127.0.0.1:1)\nmore detail'))
  warnings.add(new Error('Bootstrap failed: no node answered (127.0.0.1:1)'))
  warnings.add(new Error('send EHOSTUNREACH 10.0.0.1:49737'))
  now = 30_000
  warnings.add(new Error('Bootstrap failed: no node answered (127.0.0.1:1)'))
  assert.deepEqual(shown, [
    'warning: Bootstrap failed: no node answered (127.0.0.1:1)',
    'warning: send EHOSTUNREACH 10.0.0.1:49737'
  ])

  now = 61_000
  warnings.add(new Error('Bootstrap failed: no node answered (127.0.0.1:1)'))
  now = 200_000
  warnings.add(new Error('send EHOSTUNREACH 10.0.0.1:49737'))
  assert.deepEqual(shown.slice(2), [
    'warning: Bootstrap failed: no node answered (127.0.0.1:1) (2 more times in the last 61 s)',
    'warning: send EHOSTUNREACH 10.0.0.1:49737'
  ])
})

test('what is not an Error is shown as text', () => {
  const shown: string[] = []
  new Warnings((line) => shown.push(line), () => 0).add('plain')
  assert.deepEqual(shown, ['warning: plain'])
})

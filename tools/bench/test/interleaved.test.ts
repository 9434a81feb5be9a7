// Smoke test of the interleaved comparison (src/pair/interleaved.ts), this build against
// itself on tiny networks: it runs a round in a child process and prints one line per figure.
// The shape only, never a timing.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const main = join(here, '..', 'src', 'pair', 'interleaved.js')
const root = resolve(here, '../../../..')

test('interleaved --vs itself prints each figure\'s ratio', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [main, '--vs', root, '--rounds', '1', '--lookups', '2', '--nodes', '12', '--bursts', '1'], { timeout: 120_000 })
  for (const figure of ['find_node p50', 'custom p50', 'commit p50', '8 in flight', '32 in flight']) {
    assert.match(stdout, new RegExp(`^${figure} +A/B median of rounds \\d+\\.\\d{3}, pooled [\\d.]+/[\\d.]+ = \\d+\\.\\d{3}; rounds A/B: `, 'm'), figure)
  }
})

test('interleaved without --vs says how to use it', async () => {
  await assert.rejects(promisify(execFile)(process.execPath, [main]), (err: { code?: number, stderr?: string }) => err.code === 2 && /usage: interleaved\.js --vs/.test(err.stderr ?? ''))
})

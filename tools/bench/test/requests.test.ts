// Smoke test of the requests program (src/requests/main.ts): it runs on the simulated network
// and on loopback and prints its rate. The shape only, never a timing.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'requests', 'main.js')

for (const args of [['--sim'], []]) {
  test(`requests ${args.join(' ') || '(loopback)'} prints its rate`, async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [main, '--requests', '200', '--concurrency', '4', ...args])
    assert.equal(stderr, '')
    assert.match(stdout, /^200 requests( \(simulated\))?, 4 in flight: \d+ requests\/s, [\d.]+ µs of CPU per request\n$/)
  })
}

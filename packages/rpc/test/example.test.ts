import test from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { run } from './spawn.js'

test("the README's key-value example runs: 20 nodes store the value, another finds it", async (t) => {
  const script = fileURLToPath(new URL('../examples/key-value.mjs', import.meta.url))
  const { code, stdout, stderr } = await run(t, [script], 60_000)
  assert.equal(code, 0, stderr)
  const stored = stdout.split('\n').filter((line) => line.startsWith('Storing '))
  assert.equal(stored.length, 20, stdout)
  assert.match(stdout, /hello world --> hello world\n\(query finished\)\n/)
})

import test from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

test("the README's key-value example runs: 20 nodes store the value, another finds it", async () => {
  const script = fileURLToPath(new URL('../examples/key-value.mjs', import.meta.url))
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  clearTimeout(timer)
  assert.equal(code, 0, stderr)
  const stored = stdout.split('\n').filter((line) => line.startsWith('Storing '))
  assert.equal(stored.length, 20, stdout)
  assert.match(stdout, /hello world --> hello world\n\(query finished\)\n/)
})

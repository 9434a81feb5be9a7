import test from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { Child, run } from './spawn.js'
import { sha256 } from './helpers.js'

const example = (name: string): string => fileURLToPath(new URL(`../examples/${name}`, import.meta.url))
const NODES = 20

test("the README's walk-through as four scripts: bootstrap, nodes, insert, find", async (t) => {
  const bootstrap = new Child(t, [example('bootstrap.mjs'), '0'])
  const port = Number((await bootstrap.waitFor(/^bootstrap node listening on port (\d+)$/m))[1])
  const address = `127.0.0.1:${port}`

  const nodes = new Child(t, [example('nodes.mjs'), address, String(NODES)])
  await nodes.waitFor(new RegExp(`^${NODES} nodes ready, joined through ${address.replaceAll('.', '\\.')}$`, 'm'))

  const value = 'hello from the examples'
  const key = sha256(Buffer.from(value)).toString('hex')
  const insert = await run(t, [example('insert.mjs'), value, address])
  assert.equal(insert.code, 0, insert.stderr)
  assert.match(insert.stdout, new RegExp(`^Inserted ${key}\\n`))
  await nodes.waitFor(new RegExp(`(Storing ${key} --> ${value}\\n){${NODES}}`))
  const storing = nodes.stdout.split('\n').filter((line) => line.startsWith('Storing '))
  assert.equal(storing.length, NODES, 'each node stored it once: all 20 are the closest')

  const find = await run(t, [example('find.mjs'), key, address])
  assert.equal(find.code, 0, find.stderr)
  assert.equal(find.stdout, `${key} --> ${value}\n(query finished)\n`)

  const missing = await run(t, [example('find.mjs'), '0'.repeat(64), address])
  assert.equal(missing.code, 1)
  assert.equal(missing.stdout, '(query finished)\n')

  const usage = await run(t, [example('find.mjs')])
  assert.equal(usage.code, 2)
  assert.match(usage.stderr, /^usage: node examples\/find\.mjs/)

  const stopped = await nodes.stop('SIGINT')
  assert.equal(stopped.code, 0, stopped.stderr)
  assert.match(stopped.stdout, new RegExp(`${NODES} nodes stopped\\n$`))
  const stoppedBootstrap = await bootstrap.stop('SIGTERM')
  assert.equal(stoppedBootstrap.code, 0, stoppedBootstrap.stderr)
  assert.match(stoppedBootstrap.stdout, /bootstrap node stopped\n$/)
})

test('network.mjs runs a whole network in one process and exits by itself', async (t) => {
  const { code, stdout, stderr } = await run(t, [example('network.mjs'), '20'])
  assert.equal(code, 0, stderr)
  assert.match(stdout, /^20 nodes joined through 127\.0\.0\.1:\d+\n/)
  assert.match(stdout, /127\.0\.0\.1:(\d+) says hello from port \1\n/)
  assert.match(stdout, /\d+ replies; the closest node to the target is 127\.0\.0\.1:\d+\nnetwork destroyed\n$/)
})

import test from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addUser, startRegistry } from '../src/registry.js'

// A real Verdaccio on loopback whose uplink is a fake registry here, which records what it
// is asked: the proof that a package of our scope is never looked for upstream.
test('the registry answers, adds a user, never asks its uplink for the scope, and stops', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dht-registry-test-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const asked: string[] = []
  const upstream = createServer((req, res) => {
    asked.push(decodeURIComponent(req.url ?? ''))
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
  })
  upstream.listen(0, '127.0.0.1')
  await once(upstream, 'listening')
  t.after(() => upstream.close())
  const address = upstream.address()
  assert.ok(typeof address === 'object' && address !== null)

  const registry = await startRegistry({ dir, scope: '@dht', uplink: `http://127.0.0.1:${address.port}/` })
  t.after(() => registry.stop())
  assert.match(registry.url, /^http:\/\/127\.0\.0\.1:\d+\/$/)

  const token = await addUser(registry.url, 'someone', 'a password')
  assert.ok(token.length > 10)

  const scoped = await fetch(new URL('@dht%2frpc', registry.url))
  assert.equal(scoped.status, 404)
  const other = await fetch(new URL('left-pad', registry.url))
  assert.equal(other.status, 404)
  assert.ok(asked.some((url) => url.includes('left-pad')), `the uplink was asked for left-pad: ${asked.join(', ')}`)
  assert.ok(!asked.some((url) => url.includes('@dht')), `the uplink was never asked for @dht: ${asked.join(', ')}`)

  await registry.stop()
  await assert.rejects(fetch(new URL('-/ping', registry.url)), 'nothing answers once stopped')
})

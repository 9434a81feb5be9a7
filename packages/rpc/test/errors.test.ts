// Every error the library raises has a code.

import test from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import DHT, { isDHTError } from '@dht/rpc'
import { silentPeer } from './helpers.js'

test('no bootstrap node answering: a warning with code BOOTSTRAP_FAILED', async (t) => {
  const silent = await silentPeer()
  t.after(() => silent.close())
  const node = new DHT({ bootstrap: [silent.peer], host: '127.0.0.1', requestTimeout: 500 })
  t.after(() => node.destroy())
  const [warning] = await once(node, 'warning') as [Error]
  assert.ok(isDHTError(warning, 'BOOTSTRAP_FAILED'), String(warning))
  assert.match(warning.message, /no node answered/)
})

test('requestAll with fewer nodes than min: TOO_FEW_NODES', async (t) => {
  const node = new DHT({ bootstrap: false, host: '127.0.0.1' })
  t.after(() => node.destroy())
  await assert.rejects(node.requestAll(null, 'x', null, [], { min: 1 }), (err) => isDHTError(err, 'TOO_FEW_NODES'))
})

// Bootstrap nodes that are down, or whose names do not resolve (.invalid is reserved: it
// never resolves). The node says so in 'warning' events and still becomes ready, alone.
import test from 'node:test'
import assert from 'node:assert/strict'
import DHT from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'
import { LOOPBACK, silentPeer } from '../helpers.js'
import { watchResources, watchUnhandled } from './leaks.js'

const UNRESOLVABLE = 'bootstrap.dht-test.invalid'

// a DNS error as its code and host name; any other as its code and message
function describeWarning (err: Error): string {
  const { code, hostname } = err as NodeJS.ErrnoException & { hostname?: string }
  if (hostname !== undefined) return `${code ?? ''} ${hostname}`.trim()
  return `${code ?? ''}: ${err.message}`
}

test('bootstrap nodes that are down: a warning, then ready with an empty table', async (t) => {
  const unhandled = watchUnhandled(t)
  const [down1, down2] = await Promise.all([silentPeer(), silentPeer()])
  t.after(() => Promise.all([down1.close(), down2.close()]))
  const leaks = watchResources()
  const bootstrap = [`${LOOPBACK}:${down1.peer.port}`, down2.peer]
  const node = new DHT({ bootstrap, host: LOOPBACK, ephemeral: false })
  t.after(() => node.destroy())
  const warnings: string[] = []
  node.on('warning', (err) => warnings.push(describeWarning(err)))
  await node.ready()
  assert.deepEqual(warnings, [`BOOTSTRAP_FAILED: Bootstrap failed: no node answered (${LOOPBACK}:${down1.peer.port}, ${LOOPBACK}:${down2.peer.port})`])
  assert.equal(node.table.size, 0)
  assert.ok(down1.received.length >= 1 && down2.received.length >= 1, 'both were asked')
  assert.equal(node.ephemeral, true, 'nobody to confirm its address: it stays ephemeral')
  await node.destroy()
  await leaks()
  unhandled.check()
})

test('a bootstrap name that does not resolve: its DNS error as a warning; the other bootstrap nodes are used', async (t) => {
  const unhandled = watchUnhandled(t)
  const testnet = await createTestnet(3)
  t.after(() => testnet.destroy())
  const down = await silentPeer()
  t.after(() => down.close())
  const leaks = watchResources()
  const node = new DHT({ bootstrap: [`${UNRESOLVABLE}:49737`, down.peer, ...testnet.bootstrap], host: LOOPBACK })
  t.after(() => node.destroy())
  const warnings: Error[] = []
  node.on('warning', (err) => warnings.push(err))
  await node.ready()
  assert.ok(node.table.size >= 3, 'joined through the live bootstrap node')
  assert.ok(warnings.length >= 1)
  for (const err of warnings) {
    const { code, hostname } = err as NodeJS.ErrnoException & { hostname?: string }
    assert.ok(code === 'ENOTFOUND' || code === 'EAI_AGAIN', `a DNS error, got ${String(err)}`)
    assert.equal(hostname, UNRESOLVABLE)
  }
  await node.destroy()
  await leaks()
  unhandled.check()
})

test('only unresolvable bootstrap names: warnings, then ready alone; destroy() during the lookup leaves nothing', async (t) => {
  const unhandled = watchUnhandled(t)
  const leaks = watchResources()
  const node = new DHT({ bootstrap: [`${UNRESOLVABLE}:1`, `other.${UNRESOLVABLE}:2`], host: LOOPBACK })
  const warnings: string[] = []
  node.on('warning', (err) => warnings.push(describeWarning(err)))
  await node.ready()
  assert.equal(node.table.size, 0)
  assert.equal(warnings.at(-1), `BOOTSTRAP_FAILED: Bootstrap failed: no node answered (${UNRESOLVABLE}:1, other.${UNRESOLVABLE}:2)`)
  assert.deepEqual(warnings.slice(0, -1).map((w) => w.split(' ')[1]).sort(), [UNRESOLVABLE, `other.${UNRESOLVABLE}`])
  // later lookups resolve the names again (the table is empty) but do not repeat the warnings
  const told = warnings.length
  for (let i = 0; i < 2; i++) await node.query(Buffer.alloc(32, i), 'find_node').finished()
  assert.equal(warnings.length, told)

  const again = new DHT({ bootstrap: [`${UNRESOLVABLE}:1`], host: LOOPBACK })
  const ready = again.ready()
  await again.destroy() // while the name is being looked up
  await assert.rejects(ready, (err: Error & { code?: string }) => err.code === 'DESTROYED')
  await node.destroy()
  await leaks()
  unhandled.check()
})

test('a bootstrap node that answers, even ephemeral (replies without id): no warning', async (t) => {
  const testnet = await createTestnet(0) // the bootstrap node alone
  t.after(() => testnet.destroy())
  const node = new DHT({ bootstrap: testnet.bootstrap, host: LOOPBACK })
  t.after(() => node.destroy())
  const warnings: Error[] = []
  node.on('warning', (err) => warnings.push(err))
  await node.ready()
  assert.deepEqual(warnings, [])
})

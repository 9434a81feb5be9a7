// Round-trip tokens that do not prove the sender's address: forged, expired, handed to
// another address or by another node. Each arrives in the request handler with token null
// and commit false; only the token we handed to this very address, within its 5 to 10 s,
// commits. (Tokens across implementations: interop/commands.test.ts.)
import test from 'node:test'
import assert from 'node:assert/strict'
import DHT from '@dht/rpc'
import type { DHTRequest } from '@dht/rpc'
import { ManualClock } from '@dht/sim'
import { createTestnet } from '@dht/rpc/testnet'
import { LOOPBACK } from '../helpers.js'
import { OTHER_HOST, canBind } from './hosts.js'

const TARGET = Buffer.alloc(32, 0x33)

test('forged, expired, other-address and other-node tokens arrive as token null, commit false', async (t) => {
  const testnet = await createTestnet(3)
  t.after(() => testnet.destroy())
  const clock = new ManualClock(1_000_000) // the node's token rotation (every 5 s tick) runs when told
  const node = new DHT({ ephemeral: false, bootstrap: testnet.bootstrap, host: LOOPBACK, clock })
  t.after(() => node.destroy())
  const seen: Array<{ label: string, commit: boolean, token: Uint8Array | null }> = []
  const handler = (req: DHTRequest): void => {
    if (req.command === 'store') seen.push({ label: Buffer.from(req.value!).toString(), commit: req.commit, token: req.token })
    req.reply(null)
  }
  node.on('request', handler)
  const other = testnet.nodes[1]!
  other.on('request', handler)
  await node.ready()
  assert.equal(node.ephemeral, false, 'only a persistent node hands out tokens')
  const to = { host: LOOPBACK, port: node.address()!.port }

  const client = new DHT({ bootstrap: false, host: LOOPBACK })
  const otherPort = new DHT({ bootstrap: false, host: LOOPBACK })
  const otherHost = await canBind(OTHER_HOST) ? new DHT({ bootstrap: false, host: OTHER_HOST }) : null
  t.after(() => Promise.all([client.destroy(), otherPort.destroy(), otherHost?.destroy()]))
  const store = (from: DHT, label: string, token: Uint8Array | null): Promise<unknown> =>
    from.request(TARGET, 'store', Buffer.from(label), to, { token })

  const { token } = await client.request(TARGET, 'echo', null, to)
  assert.ok(token !== null && token.byteLength === 32)
  const otherToken = (await client.request(TARGET, 'echo', null, { host: LOOPBACK, port: other.address()!.port })).token!
  await store(client, 'valid', token)
  await store(client, 'forged', Buffer.alloc(32, 0xee))
  await store(client, 'flipped bit', Buffer.from(token).map((b, i) => i === 31 ? b ^ 1 : b))
  await store(otherPort, 'same host, other port', token)
  if (otherHost !== null) await store(otherHost, 'other host, same port number', token)
  await store(client, 'made by another node', otherToken)

  clock.advance(5000) // a rotation: the token is now under the previous secret
  await store(client, 'one rotation later', token)
  const fresh = (await client.request(TARGET, 'echo', null, to)).token! // hands out one more, so the next tick rotates again
  clock.advance(5000)
  await store(client, 'two rotations later', token)
  await store(client, 'the fresh one', fresh)

  const expected = [
    { label: 'valid', commit: true, token },
    { label: 'forged', commit: false, token: null },
    { label: 'flipped bit', commit: false, token: null },
    { label: 'same host, other port', commit: false, token: null },
    ...(otherHost !== null ? [{ label: 'other host, same port number', commit: false, token: null }] : []),
    { label: 'made by another node', commit: false, token: null },
    { label: 'one rotation later', commit: true, token },
    { label: 'two rotations later', commit: false, token: null },
    { label: 'the fresh one', commit: true, token: fresh }
  ]
  assert.deepEqual(seen.map((s) => ({ ...s, token: s.token === null ? null : Buffer.from(s.token) })), expected.map((e) => ({ ...e, token: e.token === null ? null : Buffer.from(e.token) })))
})

test('an ephemeral node hands out no token, and commits none', async (t) => {
  const node = new DHT({ bootstrap: false, host: LOOPBACK })
  const client = new DHT({ bootstrap: false, host: LOOPBACK })
  t.after(() => Promise.all([node.destroy(), client.destroy()]))
  const commits: boolean[] = []
  node.on('request', (req) => {
    commits.push(req.commit)
    req.reply(null)
  })
  const to = { host: LOOPBACK, port: await node.bind() }
  const reply = await client.request(TARGET, 'echo', null, to)
  assert.equal(reply.token, null)
  await client.request(TARGET, 'store', null, to, { token: Buffer.alloc(32, 1) })
  assert.deepEqual(commits, [false, false])
})

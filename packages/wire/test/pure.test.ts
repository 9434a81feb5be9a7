// The plain functions keep nothing between calls: a datagram is not held after decode
// returns, and what one call is given never changes what another returns.

import test from 'node:test'
import assert from 'node:assert/strict'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { decode, encodeReply, encodeRequest, Intern } from '@dht/wire'

const to = { host: '10.0.0.1', port: 1 }

test('decode keeps no reference to a datagram once it returns', async () => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const intern = new Intern()
  // a datagram in memory of its own, of which nothing decoded is a view (no id, token or value)
  const decodeOne = (withIntern: boolean): WeakRef<Uint8Array> => {
    const bytes = encodeReply({ tid: 1, to, id: null, token: null, closerNodes: [to], status: 0, value: null })
    const datagram = new Uint8Array(bytes) // not a slice of Node's pool
    const m = decode(datagram, withIntern ? intern : undefined)
    assert.equal(m.type, 'reply')
    return new WeakRef(datagram)
  }
  const refs = [decodeOne(false), decodeOne(true), decodeOne(false), decodeOne(true)]
  await new Promise(setImmediate) // a weakly held object stays alive until the end of the job that made it
  gc()
  refs.forEach((ref, i) => assert.equal(ref.deref(), undefined, `datagram ${i} was collected`))
})

test('decoding without an intern gives new objects every time', () => {
  const datagram = encodeRequest({ tid: 1, to, id: null, token: null, target: null, command: 'find_node', value: null })
  const a = decode(datagram)
  const b = decode(datagram)
  assert.deepEqual(a, b)
  assert.notEqual(a.to, b.to)
})

test('views into a datagram decoded after another are views into that one', () => {
  const id1 = Buffer.alloc(32, 1)
  const id2 = Buffer.alloc(32, 2)
  const first = Buffer.from(encodeRequest({ tid: 1, to, id: id1, token: null, target: null, command: 'ping', value: null }))
  const second = Buffer.concat([Buffer.alloc(7), encodeRequest({ tid: 2, to, id: id2, token: null, target: null, command: 'ping', value: Buffer.from('v') })]).subarray(7)
  for (const datagram of [first, second, first, new Uint8Array(second)]) {
    const m = decode(datagram)
    assert.equal(m.id!.buffer, datagram.buffer, 'a view, not a copy')
    assert.equal(Buffer.isBuffer(m.id), Buffer.isBuffer(datagram), 'a Buffer view of a Buffer')
    assert.deepEqual(Buffer.from(m.id!), datagram === first ? id1 : id2)
  }
})

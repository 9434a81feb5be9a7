import test from 'node:test'
import assert from 'node:assert/strict'
import DHT from '@dht/rpc'

// What a JavaScript caller can pass despite the types.
function loose<T> (value: unknown): T {
  return value as T
}

test('bad arguments get a TypeError that names the argument', async (t) => {
  const node = new DHT({ bootstrap: false })
  t.after(() => node.destroy())
  const to = { host: '127.0.0.1', port: 1 }
  const target = Buffer.alloc(32)
  assert.throws(() => node.query(Buffer.alloc(31), 'find_node'), /target must be a 32-byte Uint8Array/)
  assert.throws(() => node.query(loose('abc'), 'find_node'), TypeError)
  assert.throws(() => node.query(target, loose(42)), /command must be a non-empty string/)
  assert.throws(() => node.query(target, 'x', loose('value')), /value must be a Uint8Array or null/)
  await assert.rejects(node.request(Buffer.alloc(5), 'x', null, to), /target must be a 32-byte/)
  await assert.rejects(node.request(null, '', null, to), /command must be a non-empty string/)
  await assert.rejects(node.request(null, 'x', null, loose({ host: 'localhost', port: 1 })), /to.host must be an IPv4 address/)
  await assert.rejects(node.request(null, 'x', null, loose({ host: '1.2.3.4', port: 70000 })), /to.port must be an integer from 1 to 65535/)
  await assert.rejects(node.ping(loose(null)), /to must be a \{ host, port \} object/)
  await assert.rejects(node.request(null, 'x', null, to, { token: Buffer.alloc(3) }), /options.token must be a 32-byte/)
  await assert.rejects(node.requestAll(null, 'x', null, loose('nodes')), /nodes must be an array/)
  assert.throws(() => node.addNode(loose({ host: '1.2.3', port: 1 })), /node.host must be an IPv4 address/)
  await assert.rejects(node.bind(loose(-1)), /port must be an integer/)
})

test('bad constructor options get a TypeError that names the option', () => {
  assert.throws(() => new DHT({ bootstrap: loose(['nohost']) }), /bootstrap\[0\] must be "host:port"/)
  assert.throws(() => new DHT({ bootstrap: loose(['host:99999']) }), /bootstrap\[0\] port must be an integer/)
  assert.throws(() => new DHT({ bootstrap: loose('localhost:1') }), /bootstrap must be an array/)
  assert.throws(() => new DHT({ bind: loose('80') }), /bind must be an integer/)
  assert.throws(() => new DHT({ nodes: loose([{ host: 'x', port: 1 }]) }), /nodes\[0\].host must be an IPv4 address/)
  assert.throws(() => new DHT({ concurrency: 0 }), /concurrency must be a positive integer/)
})

test('the constants match dht-rpc', () => {
  assert.equal(DHT.OK, 0)
  assert.equal(DHT.UNKNOWN_COMMAND, 1)
  assert.equal(DHT.NAT_OPEN, Symbol.for('NAT_OPEN'))
  assert.equal(DHT.NAT_UNKNOWN, Symbol.for('NAT_UNKNOWN'))
  assert.equal(DHT.NAT_PORT_CONSISTENT, Symbol.for('NAT_PORT_CONSISTENT'))
  assert.equal(DHT.NAT_PORT_INCREMENTING, Symbol.for('NAT_PORT_INCREMENTING'))
  assert.equal(DHT.NAT_PORT_RANDOMIZED, Symbol.for('NAT_PORT_RANDOMIZED'))
})

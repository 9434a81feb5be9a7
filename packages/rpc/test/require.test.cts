// CommonJS users: require('@dht/rpc') is the DHT class itself, as it is for dht-rpc, in
// types and at run time. This file is compiled as CommonJS (.cts to .cjs).
import test = require('node:test')
import assert = require('node:assert/strict')
import DHT = require('@dht/rpc')

test("require('@dht/rpc') gives the DHT class", async () => {
  assert.equal(typeof DHT, 'function')
  assert.equal(DHT.name, 'DHT')
  assert.equal(DHT.NAT_OPEN, Symbol.for('NAT_OPEN'))
  const node = new DHT({ bootstrap: false, host: '127.0.0.1' })
  assert.ok(node instanceof DHT)
  await node.destroy()
})

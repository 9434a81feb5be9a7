import test from 'node:test'
import assert from 'node:assert/strict'
import { DHT } from '@dht/rpc'
import { createTestnet } from '@dht/rpc/testnet'

// After a blocked event loop, node runs the due re-send timers before it reads the replies
// waiting in the socket: every request looks unanswered at once. A lookup must still read
// them rather than end empty.
test('a lookup survives an event loop blocked past its re-send timers', async () => {
  const testnet = await createTestnet(8, { host: '127.0.0.1' })
  const client = new DHT({ bootstrap: testnet.bootstrap, host: '127.0.0.1' })
  try {
    await client.ready()
    await client.query(Buffer.alloc(32, 7), 'find_node').finished() // rtt samples: re-sends after ~200 ms
    const socket = client.io.socket as { send: (...args: unknown[]) => void }
    const send = socket.send
    let armed = true
    socket.send = function (this: unknown, ...args: unknown[]) {
      if (armed) {
        armed = false
        process.nextTick(() => {
          const end = Date.now() + 400
          while (Date.now() < end); // the replies arrive meanwhile, unread
        })
      }
      send.apply(this, args)
    }
    const q = client.query(Buffer.alloc(32, 2), 'find_node')
    await q.finished()
    socket.send = send
    assert.ok(q.successes >= 8, `replies read after the stall: ${q.successes}`)
    assert.ok(q.closestReplies.length >= 8)
  } finally {
    await client.destroy()
    await testnet.destroy()
  }
})

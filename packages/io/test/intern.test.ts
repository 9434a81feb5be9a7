// An IO decodes through the Intern it is given: IOs given one share the peers it hands out,
// an IO with its own shares nothing.

import test from 'node:test'
import assert from 'node:assert/strict'
import { IO, isIOError } from '@dht/io'
import { Intern } from '@dht/wire'
import { boundIO, ping } from './helpers.js'

const NAMED = { host: '10.20.30.40', port: 5000 }

test('IOs given one intern share the peers it decodes; one with its own does not', async () => {
  const server = await boundIO({
    onrequest: (req, io) => io.reply(req, { id: null, token: null, closerNodes: [NAMED], status: 0, value: null })
  })
  const shared = new Intern({ nodes: 2 })
  const clients = await Promise.all([boundIO({ intern: shared }), boundIO({ intern: shared }), boundIO()])
  try {
    const named = await Promise.all(clients.map(async (c) => (await c.io.request(ping(server.peer))).closerNodes![0]!))
    assert.deepEqual(named, [NAMED, NAMED, NAMED])
    assert.equal(named[0], named[1], 'one object through the shared intern')
    assert.notEqual(named[2], named[0], 'the IO with its own intern has its own')
    assert.ok(Object.isFrozen(named[0]))
  } finally {
    await Promise.all([server.io.destroy(), ...clients.map((c) => c.io.destroy())])
  }
})

test('an intern that is not one is refused before a socket is made', () => {
  let sockets = 0
  for (const bad of [{}, null, 'intern']) {
    assert.throws(() => new IO({ intern: bad as never, createSocket: () => { sockets++; throw new Error('no socket expected') } }),
      (err: unknown) => isIOError(err, 'INVALID_ARGUMENT') && /intern/.test(err.message))
  }
  assert.equal(sockets, 0)
})

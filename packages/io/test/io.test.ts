import test from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { IO, isIOError } from '@dht/io'
import type { IOError, IncomingReply } from '@dht/io'
import { ManualClock } from '@dht/sim'
import { decode, encodeReply, encodeRequest, id as nodeId } from '@dht/wire'
import { LOOPBACK, boundIO, echo, ping, silentPeer, until } from './helpers.js'

test('a request over real UDP gets its reply, with from and to filled in', async () => {
  const server = await boundIO({ onrequest: echo })
  const client = await boundIO()
  const reply = await client.io.request(ping(server.peer, Buffer.from('hello')))
  assert.equal(reply.status, 0)
  assert.deepEqual(reply.value, Buffer.from('hello'))
  assert.deepEqual(reply.from, server.peer)
  assert.deepEqual(reply.to, client.peer)
  assert.equal(client.io.inflightRequests, 0)
  await Promise.all([server.io.destroy(), client.io.destroy()])
})

test('requests bind the socket first when it is not bound yet', async () => {
  const server = await boundIO({ onrequest: echo })
  const client = new IO({ host: LOOPBACK })
  const reply = await client.request(ping(server.peer))
  assert.equal(reply.status, 0)
  assert.notEqual(client.address(), null)
  await Promise.all([server.io.destroy(), client.destroy()])
})

test('retry: false sends once', async () => {
  const clock = new ManualClock()
  const silent = await silentPeer()
  const client = await boundIO({ clock })
  const result = client.io.request(ping(silent.peer), { retry: false })
  await until(() => silent.received.length === 1)
  clock.advance(60_000)
  await assert.rejects(result, (err) => isIOError(err, 'REQUEST_TIMEOUT'))
  assert.equal(silent.received.length, 1)
  await Promise.all([client.io.destroy(), silent.close()])
})

test('a non-zero status fails with its status unless expectOk is false', async () => {
  const server = await boundIO({
    onrequest: (req, io) => io.reply(req, { id: null, token: null, closerNodes: null, status: 42, value: null })
  })
  const client = await boundIO()
  await assert.rejects(client.io.request(ping(server.peer)), (err: unknown) => isIOError(err, 'REQUEST_FAILED') && err.status === 42)
  const reply = await client.io.request(ping(server.peer), { expectOk: false })
  assert.equal(reply.status, 42)
  await Promise.all([server.io.destroy(), client.io.destroy()])
})

test('cancel() fails the request and ignores a late reply', async () => {
  const clock = new ManualClock()
  const silent = await silentPeer()
  const client = await boundIO({ clock })
  const outcomes: string[] = []
  const req = client.io.send(ping(silent.peer), undefined, {
    onreply: () => outcomes.push('reply'),
    onerror: (err) => outcomes.push(err.code)
  })
  req.cancel()
  req.cancel()
  clock.advance(60_000)
  assert.deepEqual(outcomes, ['REQUEST_CANCELLED'])
  assert.equal(clock.pending, 0)
  await Promise.all([client.io.destroy(), silent.close()])
})

test('destroy() rejects pending requests, stops timers and closes the sockets', async () => {
  const clock = new ManualClock()
  const silent = await silentPeer()
  const client = await boundIO({ clock })
  const extra = client.io.openSocket()
  const pending = client.io.request(ping(silent.peer))
  await until(() => silent.received.length === 1)
  const closed = once(client.io.socket as dgram.Socket, 'close')
  await client.io.destroy()
  await closed
  await assert.rejects(pending, (err) => isIOError(err, 'DESTROYED'))
  await assert.rejects(client.io.request(ping(silent.peer)), (err) => isIOError(err, 'DESTROYED'))
  assert.equal(clock.pending, 0)
  assert.throws(() => (extra as dgram.Socket).address())
  await silent.close()
})

test('a queued request is sent as soon as a reply frees room in the window', async () => {
  const clock = new ManualClock() // never advanced: no slot boundary ever passes
  const server = await boundIO({ onrequest: echo })
  const client = await boundIO({ clock, maxWindow: 2 })
  const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => client.io.request(ping(server.peer, Buffer.from([i])))))
  assert.deepEqual(replies.map((r) => r.value?.[0]), Array.from({ length: 50 }, (_, i) => i))
  assert.equal(client.io.stats.requestsSent, 50)
  await Promise.all([server.io.destroy(), client.io.destroy()])
})

test('requests waiting for the window go out before ones made later, even from a reply handler', async (t) => {
  const clock = new ManualClock() // never advanced: only replies free room
  const order: number[] = []
  const server = await boundIO({
    onrequest: (req, io) => {
      order.push(req.value![0]!)
      echo(req, io)
    }
  })
  const client = await boundIO({ clock, maxWindow: 2 })
  t.after(() => Promise.all([server.io.destroy(), client.io.destroy()]))
  // 0 and 1 fill the window, 2 and 3 wait; each reply to 0 or 1 asks for one more at once,
  // as a lookup does: 4 and 5 must wait behind 2 and 3
  let next = 4
  let done = 0
  const all = new Promise<void>((resolve) => {
    const settled = (): void => { if (++done === 6) resolve() }
    const send = (i: number, then: (() => void) | null): void => {
      client.io.send(ping(server.peer, Buffer.from([i])), undefined, {
        onreply: () => { // synchronously, in the reply's turn, as a lookup's handler runs
          then?.()
          settled()
        },
        onerror: (err) => assert.fail(err)
      })
    }
    for (const i of [0, 1]) send(i, () => send(next++, null))
    for (const i of [2, 3]) send(i, null)
  })
  await all
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5])
})

test('the window holds back sends beyond its size until replies or slots free room', async () => {
  const clock = new ManualClock()
  const silent = await silentPeer()
  const client = await boundIO({ clock, maxWindow: 3 })
  for (let i = 0; i < 10; i++) client.io.request(ping(silent.peer), { retry: false }).catch(() => {})
  await until(() => silent.received.length === 3)
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(silent.received.length, 3)
  clock.advance(750) // next slot: 3 more, the total of 6 = 2 * maxWindow
  await until(() => silent.received.length === 6)
  clock.advance(750)
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(silent.received.length, 6, 'at most twice the window over four slots')
  clock.advance(60_000)
  await until(() => silent.received.length === 10)
  await Promise.all([client.io.destroy(), silent.close()])
})

test('replies that come after their slot ended free the window at once: a busy node never stalls', async () => {
  const clock = new ManualClock()
  const held: Array<{ tid: number, port: number }> = [] // requests received, answered when the test says
  const peer = dgram.createSocket('udp4')
  peer.on('message', (m, rinfo) => held.push({ tid: decode(m).tid, port: rinfo.port }))
  peer.bind(0, LOOPBACK)
  await once(peer, 'listening')
  const to = { host: LOOPBACK, port: peer.address().port }
  const client = await boundIO({ clock, maxWindow: 2 })
  const answered: number[] = []
  const request = (): void => {
    client.io.request(ping(to), { retry: false }).then(() => answered.push(1), () => {})
  }
  try {
    request() // starts the slots at 0; never answered, it times out at 1000
    await until(() => held.length === 1)
    clock.advance(740)
    for (let i = 0; i < 6; i++) request()
    await until(() => held.length === 2) // slot 0 is full
    clock.advance(10) // slot 1 at 750: two more, 4 = 2 * maxWindow unanswered
    await until(() => held.length === 4)
    clock.advance(750) // slot 2 at 1500, still without sends when the replies come
    for (const { tid, port } of held.slice(1)) {
      peer.send(encodeReply({ tid, to: client.peer, id: null, token: null, closerNodes: null, status: 0, value: null }), port, LOOPBACK)
    }
    await until(() => answered.length === 3)
    // the clock stays at 1500: only the answered sends' room lets the waiting ones go
    await until(() => held.length === 6)
  } finally {
    await client.io.destroy()
    await new Promise<void>((resolve) => peer.close(() => resolve()))
  }
})

test('requests keep flowing through a queue that never empties', async () => {
  const clock = new ManualClock() // never advanced: replies alone free room
  const server = await boundIO({ onrequest: echo, rateLimit: false }) // 5000 requests in well under a second
  const client = await boundIO({ clock, maxWindow: 1 })
  let sent = 0
  await new Promise<void>((resolve) => {
    let done = 0
    const request = (): void => {
      sent++
      client.io.request(ping(server.peer)).then(() => {
        if (++done === 5000) resolve()
        else if (sent < 5000) request() // one more joins the queue for each that leaves it
      }, resolve)
    }
    for (let i = 0; i < 10; i++) request()
  })
  await Promise.all([server.io.destroy(), client.io.destroy()])
  assert.equal(client.io.stats.repliesReceived, 5000)
})

test('a reply from another address than the request went to has its id ignored', async () => {
  const silent = await silentPeer()
  const client = await boundIO()
  const replies: IncomingReply[] = []
  client.io.send(ping(silent.peer), undefined, { onreply: (r) => replies.push(r), onerror: () => {} })
  await until(() => silent.received.length === 1)
  const { tid } = decode(silent.received[0]!)
  const impostor = dgram.createSocket('udp4')
  const id = nodeId(LOOPBACK, 1)
  const { encodeReply } = await import('@dht/wire')
  impostor.send(encodeReply({ tid, to: client.peer, id, token: null, closerNodes: null, status: 0, value: null }), client.peer.port, LOOPBACK)
  await until(() => replies.length === 1)
  assert.equal(replies[0]!.id, null)
  impostor.close()
  await Promise.all([client.io.destroy(), silent.close()])
})

test('malformed datagrams are counted and reported, never thrown', async () => {
  const warnings: Error[] = []
  const server = await boundIO({ onrequest: echo, onwarning: (err) => warnings.push(err) })
  const raw = dgram.createSocket('udp4')
  for (const bytes of [[2], [3, 0, 0], [2, 1, 0, 0, 1, 2], [2, 0xff, 0xff]]) raw.send(Buffer.from(bytes), server.peer.port, LOOPBACK)
  raw.send(encodeRequest({ tid: 9, to: server.peer, id: null, token: null, target: null, command: 'ping', value: null }), server.peer.port, LOOPBACK)
  const [answer] = await once(raw, 'message') as [Buffer]
  assert.equal(decode(answer).tid, 9, 'the node still answers')
  assert.equal(server.io.stats.invalidDatagrams, 3, 'the 1-byte datagram is dropped silently')
  assert.equal(warnings.length, 3)
  raw.close()
  await server.io.destroy()
})

test('bind falls back to a random port when the preferred one is taken', async () => {
  const taken = await boundIO()
  const io = new IO({ host: LOOPBACK, port: taken.peer.port })
  const port = await io.bind()
  assert.notEqual(port, taken.peer.port)
  assert.ok(port > 0)
  await Promise.all([taken.io.destroy(), io.destroy()])
})

test('tids start at a random value and wrap at 65536', async () => {
  const clock = new ManualClock()
  const silent = await silentPeer()
  const { SeededRandom } = await import('@dht/sim')
  const random = new SeededRandom(7)
  random.next = () => 65534 / 65536
  const client = await boundIO({ clock, random })
  for (let i = 0; i < 4; i++) client.io.request(ping(silent.peer), { retry: false }).catch(() => {})
  await until(() => silent.received.length === 4)
  assert.deepEqual(silent.received.map((m) => decode(m).tid).sort((a, b) => a - b), [0, 1, 65534, 65535])
  await Promise.all([client.io.destroy(), silent.close()])
})

test('a cancelled request gives its room in the window back: a waiting request goes out at once', async () => {
  const clock = new ManualClock() // never advanced: no slot boundary ever passes
  const silent = await silentPeer()
  const client = await boundIO({ clock, maxWindow: 2 })
  const handlers = { onreply: () => assert.fail('no reply expected'), onerror: () => {} }
  const first = client.io.send(ping(silent.peer), undefined, handlers)
  client.io.send(ping(silent.peer), undefined, handlers)
  client.io.send(ping(silent.peer), undefined, handlers)
  await until(() => silent.received.length === 2)
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(silent.received.length, 2, 'the third waits for room')
  first.cancel()
  await until(() => silent.received.length === 3)
  first.cancel() // a second cancel gives nothing back twice
  client.io.send(ping(silent.peer), undefined, handlers)
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(silent.received.length, 3, 'the window is full again')
  await Promise.all([client.io.destroy(), silent.close()])
})

test('the bytes handed up are Buffers, also from a socket that gives plain Uint8Arrays', async () => {
  const server = await boundIO({ onrequest: echo })
  const raw = dgram.createSocket('udp4')
  const plain = Object.assign(raw, {}) // a node:dgram socket whose 'message' events carry Uint8Arrays
  const emit = raw.emit.bind(raw) as (event: string, ...args: unknown[]) => boolean
  raw.emit = ((event: string, ...args: unknown[]) => {
    if (event === 'message') args[0] = new Uint8Array(args[0] as Buffer)
    return emit(event, ...args)
  }) as typeof raw.emit
  const client = new IO({ socket: plain, host: LOOPBACK })
  await client.bind()
  const reply = await client.request(ping(server.peer, Buffer.from('bytes')))
  assert.ok(reply.value instanceof Buffer, 'value')
  assert.equal(reply.value.toString(), 'bytes')
  await Promise.all([server.io.destroy(), client.destroy()])
})

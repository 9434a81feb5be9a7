// Every option of new DHT() and of the methods is checked up front: a bad one throws a
// TypeError (code INVALID_ARGUMENT) that names it, before anything is opened.

import test from 'node:test'
import assert from 'node:assert/strict'
import DHT from '@dht/rpc'
import type { DHTOptions, DHTQueryOptions } from '@dht/rpc'

function loose<T> (value: unknown): T {
  return value as T
}

function invalid (name: string): (err: unknown) => boolean {
  return (err) => err instanceof TypeError && (err as { code?: string }).code === 'INVALID_ARGUMENT' && err.message.startsWith(name + ' must be')
}

test('each bad constructor option: a TypeError that names it', () => {
  const bad: Array<[keyof DHTOptions | 'options', unknown]> = [
    ['ephemeral', 'yes'], ['ephemeral', 0], ['adaptive', 1],
    ['socket', {}], ['socket', 'udp4'],
    ['nodes', 'x'], ['bind', 70000], ['bind', '80'], ['host', 'localhost'],
    ['concurrency', 0], ['maxWindow', -1], ['maxWindow', 1.5],
    ['requestTimeout', 0], ['requestTimeout', Infinity],
    ['rateLimit', true], ['clock', {}], ['random', { next: () => 0.5 }], ['createSocket', 'dgram'],
    ['intern', {}], ['intern', null], ['intern', { id: () => Buffer.alloc(32) }],
    ['networkInterfaces', true], ['networkInterfaces', null], ['networkInterfaces', {}]
  ]
  for (const [name, value] of bad) {
    assert.throws(() => new DHT(loose({ bootstrap: false, [name]: value })), invalid(name), `${name}: ${String(value)}`)
  }
  assert.throws(() => new DHT(loose({ rateLimit: { requests: 0, per: 1000 } })), invalid('rateLimit.requests'))
  assert.throws(() => new DHT(loose({ nodes: [{ host: '1.2.3.4', port: 0 }] })), invalid('nodes[0].port'))
  assert.throws(() => new DHT(loose(null)), invalid('options'))
})

test('each bad method option: a TypeError that names it, as a rejection for what returns a promise', async (t) => {
  const node = new DHT({ bootstrap: false, host: '127.0.0.1' })
  t.after(() => node.destroy())
  const to = { host: '127.0.0.1', port: 1 }
  const target = Buffer.alloc(32)
  await assert.rejects(node.request(null, 'x', null, to, loose({ retry: 'no' })), invalid('options.retry'))
  await assert.rejects(node.request(null, 'x', null, to, loose({ timeout: -5 })), invalid('options.timeout'))
  await assert.rejects(node.ping(to, loose({ expectOk: 1 })), invalid('options.expectOk'))
  await assert.rejects(node.requestAll(null, 'x', null, [to], loose({ min: -1 })), invalid('options.min'))
  await assert.rejects(node.requestAll(null, 'x', null, loose([{ host: 'x', port: 1 }])), invalid('nodes[0].host'))
  assert.throws(() => node.query(target, 'x', null, loose<DHTQueryOptions>({ commit: 'yes' })), invalid('options.commit'))
  assert.throws(() => node.query(target, 'x', null, loose<DHTQueryOptions>({ map: 1 })), invalid('options.map'))
  assert.throws(() => node.query(target, 'x', null, loose<DHTQueryOptions>({ concurrency: 0 })), invalid('options.concurrency'))
  assert.throws(() => node.query(target, 'x', null, loose<DHTQueryOptions>({ nodes: [{ host: '1.2.3.4', port: 1, id: Buffer.alloc(3) }] })), invalid('options.nodes[0].id'))
  assert.throws(() => { node.concurrency = 0 }, invalid('concurrency'))
})

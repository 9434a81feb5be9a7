// The constructor's options, checked up front: each bad one fails with a TypeError that names
// it, before anything is made (no socket is opened, no timer started).

import { invalidArgument } from './errors.js'
import { assertBoolean, assertFunction, assertMethods, assertObject, assertPeers, assertPort, assertPositiveInteger, assertPositiveNumber, assertSignal, assertTarget, assertTimeout } from './validate.js'
import { Intern, isIPv4 } from '@dht/wire'

const SOCKET_METHODS = ['bind', 'send', 'address', 'close', 'on', 'removeListener']
const CLOCK_METHODS = ['now', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']
const RANDOM_METHODS = ['fill', 'next']

/** Throws a TypeError naming the first option of `opts` that is not what DHTOptions says. */
export function checkOptions (opts: unknown): void {
  assertObject(opts, 'options')
  const o = opts
  if (o['ephemeral'] !== undefined) assertBoolean(o['ephemeral'], 'ephemeral')
  if (o['adaptive'] !== undefined) assertBoolean(o['adaptive'], 'adaptive')
  // bootstrap: checked as it is parsed (parseBootstrap)
  if (o['socket'] !== undefined) assertMethods(o['socket'], 'socket', SOCKET_METHODS, 'a node:dgram udp4 socket, or an object with its methods')
  if (o['nodes'] !== undefined) assertPeers(o['nodes'], 'nodes')
  if (o['bind'] !== undefined) assertPort(o['bind'], 'bind')
  if (o['host'] !== undefined && !isIPv4(o['host'])) throw invalidArgument('host', 'an IPv4 address to bind', o['host'])
  if (o['concurrency'] !== undefined) assertPositiveInteger(o['concurrency'], 'concurrency')
  if (o['maxWindow'] !== undefined) assertPositiveInteger(o['maxWindow'], 'maxWindow')
  if (o['requestTimeout'] !== undefined) assertTimeout(o['requestTimeout'], 'requestTimeout')
  if (o['rateLimit'] !== undefined && o['rateLimit'] !== false) checkRateLimit(o['rateLimit'])
  if (o['clock'] !== undefined) assertMethods(o['clock'], 'clock', CLOCK_METHODS, 'a Clock')
  if (o['random'] !== undefined) assertMethods(o['random'], 'random', RANDOM_METHODS, 'a Random')
  if (o['createSocket'] !== undefined && typeof o['createSocket'] !== 'function') throw invalidArgument('createSocket', 'a function that makes a socket', o['createSocket'])
  if (o['intern'] !== undefined && !(o['intern'] instanceof Intern)) throw invalidArgument('intern', 'an Intern of @dht/wire', o['intern'])
  if (o['networkInterfaces'] !== undefined && o['networkInterfaces'] !== false && typeof o['networkInterfaces'] !== 'function') throw invalidArgument('networkInterfaces', 'a function like os.networkInterfaces, or false', o['networkInterfaces'])
}

function checkRateLimit (limit: unknown): void {
  assertObject(limit, 'rateLimit')
  assertPositiveNumber(limit['requests'], 'rateLimit.requests')
  assertPositiveNumber(limit['per'], 'rateLimit.per', 'a positive number of ms')
  if (limit['burst'] !== undefined) assertPositiveNumber(limit['burst'], 'rateLimit.burst', 'a number of at least 1', 1)
}

/** The options of `request()`, `ping()` and `requestAll()` (min and max are checked there). */
export function checkRequestOptions (opts: unknown): void {
  assertObject(opts, 'options')
  const o = opts
  if (o['token'] !== undefined && o['token'] !== null) assertTarget(o['token'], 'options.token')
  if (o['retry'] !== undefined) assertBoolean(o['retry'], 'options.retry')
  if (o['expectOk'] !== undefined) assertBoolean(o['expectOk'], 'options.expectOk')
  if (o['timeout'] !== undefined) assertTimeout(o['timeout'], 'options.timeout')
  if (o['socket'] !== undefined) assertMethods(o['socket'], 'options.socket', SOCKET_METHODS, 'a socket')
  if (o['signal'] !== undefined) assertSignal(o['signal'], 'options.signal')
}

/** The options of `query()`. */
export function checkQueryOptions (opts: unknown): void {
  assertObject(opts, 'options')
  const o = opts
  const commit = o['commit']
  if (commit !== undefined && typeof commit !== 'boolean' && typeof commit !== 'function') throw invalidArgument('options.commit', 'true, false or a function', commit)
  for (const name of ['nodes', 'closestNodes'] as const) {
    const seeds = o[name]
    if (seeds === undefined) continue
    assertPeers(seeds, `options.${name}`)
    seeds.forEach((seed, i) => {
      const id = (seed as { id?: unknown }).id
      if (id !== undefined && id !== null) assertTarget(id, `options.${name}[${i}].id`)
    })
  }
  if (o['map'] !== undefined) assertFunction(o['map'], 'options.map')
  if (o['onreply'] !== undefined) assertFunction(o['onreply'], 'options.onreply')
  const concurrency = o['concurrency']
  if (concurrency !== undefined && typeof concurrency !== 'function') assertPositiveInteger(concurrency, 'options.concurrency')
  if (o['signal'] !== undefined) assertSignal(o['signal'], 'options.signal')
}

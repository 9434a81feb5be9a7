// What request(), ping() and requestAll() do: check the arguments once, at the boundary, and
// send through the node's IO with the node's id (none while ephemeral, none from another
// socket). Reads only the node's public side.

import { IOError } from '@dht/io'
import type { RequestOptions as IORequestOptions } from '@dht/io'
import { settleAtLeast } from '@dht/query'
import type { Peer } from '@dht/wire'
import { abortable } from './abort.js'
import type { DHT } from './dht.js'
import { DHTError } from './errors.js'
import { checkRequestOptions } from './options.js'
import type { DHTReply, RequestAllOptions, RequestOptions } from './types.js'
import { assertCommand, assertCount, assertOptionalTarget, assertPeer, assertPeers, assertValue } from './validate.js'

/** `node.request()`: one request to `to`, resolved with its reply. */
export function request (node: DHT, target: Uint8Array | null, command: string, value: Uint8Array | null | undefined, to: Peer, opts: RequestOptions): Promise<DHTReply> {
  try {
    assertOptionalTarget(target)
    assertCommand(command)
    assertValue(value)
    assertPeer(to, 'to')
    checkRequestOptions(opts)
  } catch (err) {
    return Promise.reject(err)
  }
  const io = node.io
  const socket = opts.socket ?? io.socket
  const ioOpts: IORequestOptions = { socket, expectOk: opts.expectOk !== false, retry: opts.retry !== false }
  if (opts.timeout !== undefined) ioOpts.timeout = opts.timeout
  if (opts.signal !== undefined) ioOpts.signal = opts.signal
  return io.request({
    to: { host: to.host, port: to.port },
    id: socket === io.socket ? node.id : null,
    token: opts.token ?? null,
    target,
    command,
    value: value ?? null
  }, ioOpts)
}

/** `node.requestAll()`: every node at once, settled once `max` succeed or all end. */
export function requestAll (node: DHT, target: Uint8Array | null, command: string, value: Uint8Array | null | undefined, nodes: readonly Peer[], opts: RequestAllOptions): Promise<DHTReply[]> {
  try {
    assertOptionalTarget(target)
    assertCommand(command)
    assertValue(value)
    assertPeers(nodes, 'nodes')
    checkRequestOptions(opts)
    if (opts.min !== undefined) assertCount(opts.min, 'options.min')
    if (opts.max !== undefined) assertCount(opts.max, 'options.max')
    if (opts.signal?.aborted === true) throw opts.signal.reason // as fetch: nothing is sent
    if (node.destroyed) throw IOError.DESTROYED()
  } catch (err) {
    return Promise.reject(err)
  }
  if (node.suspended) return Promise.reject(IOError.SUSPENDED())
  const min = opts.min ?? 1
  const max = opts.max ?? nodes.length
  if (nodes.length < min) return Promise.reject(DHTError.TOO_FEW_NODES(nodes.length, min))
  const { min: _min, max: _max, ...requestOpts } = opts
  // each request takes the signal too: an abort cancels every one still in flight
  return abortable(settleAtLeast(nodes.map((to) => request(node, target, command, value, to, requestOpts)), min, max), opts.signal)
}

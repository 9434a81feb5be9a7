// Typed access to the codec and id function of dht-rpc@5.0.0-rc.6, the reference we must match.
import { createRequire } from 'node:module'
import type { Peer, Reply, Request } from '@dht/wire'

export interface ReferenceMessage {
  version: number
  tid: number
  from: null
  to: Peer
  id: Uint8Array | null
  token: Uint8Array | null
  target: Uint8Array | null
  closerNodes: Peer[] | null
  command: string | null
  status: number
  value: Uint8Array | null
}

interface CencCodec<T> { preencode (s: unknown, v: T): void, encode (s: unknown, v: T): void, decode (s: unknown): T }

const require = createRequire(import.meta.url)
const cenc = require('compact-encoding') as {
  encode<T> (codec: CencCodec<T>, value: T): Uint8Array
  decode<T> (codec: CencCodec<T>, buffer: Uint8Array): T
}
const messages = require('dht-rpc/lib/messages.js') as { message: CencCodec<ReferenceMessage> }
const referenceId = require('dht-rpc/lib/id.js') as (host: string, port: number) => Uint8Array

export function referenceEncode (m: ReferenceMessage): Uint8Array {
  return cenc.encode(messages.message, m)
}

export function referenceDecode (buffer: Uint8Array): ReferenceMessage {
  return cenc.decode(messages.message, buffer)
}

export { referenceId }

export function requestAsReference (m: Request): ReferenceMessage {
  return {
    version: 2, tid: m.tid, from: null, to: m.to, id: m.id, token: m.token, target: m.target,
    closerNodes: null, command: m.command, status: 0, value: m.value
  }
}

export function replyAsReference (m: Reply): ReferenceMessage {
  return {
    version: 2, tid: m.tid, from: null, to: m.to, id: m.id, token: m.token, target: null,
    closerNodes: m.closerNodes === null ? null : [...m.closerNodes], command: null, status: m.status, value: m.value
  }
}

// Typed access to dht-rpc@5.0.0-rc.6, the implementation we must interoperate with: its node
// (RefDHT) and its wire codec, both loaded from the devDependency as CommonJS. The types
// below describe only what the interop suite uses.
import { createRequire } from 'node:module'
import type { EventEmitter } from 'node:events'
import type { Socket } from 'node:dgram'
import type { Peer } from '@dht/rpc'

/** A request as rc.6 hands it to a 'request' listener. */
export interface RefRequest {
  tid: number
  from: Peer
  to: Peer
  token: Buffer | null
  target: Buffer | null
  command: string
  value: Buffer | null
  readonly commit: boolean
  reply (value?: Uint8Array | null, opts?: { closerNodes?: boolean, token?: boolean }): unknown
  error (code: number, opts?: { closerNodes?: boolean, token?: boolean }): unknown
}

/** A decoded message as rc.6's codec and node give it. */
export interface RefMessage {
  version: number
  tid: number
  from: Peer | null
  to: Peer
  id: Buffer | null
  token: Buffer | null
  target: Buffer | null
  closerNodes: Peer[] | null
  command: string | null
  status: number
  value: Buffer | null
}

export interface RefQuery extends AsyncIterable<RefMessage> {
  readonly closestReplies: RefMessage[]
  readonly closestNodes: Array<{ id: Buffer, host: string, port: number }>
  finished (): Promise<void>
  destroy (err?: Error): void
}

export interface RefRequestOptions {
  token?: Uint8Array | null
  retry?: boolean
  expectOk?: boolean
  socket?: Socket
}

export interface RefQueryOptions {
  commit?: boolean | ((reply: RefMessage, dht: RefDHT, query: RefQuery) => Promise<unknown>)
  nodes?: Array<{ id?: Uint8Array | null, host: string, port: number }>
  concurrency?: number
}

export interface RefRemoteAddress {
  type: symbol
  host: string | null
  port: number
}

export interface RefDHTOptions {
  ephemeral?: boolean
  adaptive?: boolean
  bootstrap?: Array<string | Peer> | false
  nodes?: Peer[]
  bind?: number
  /** Called with every datagram that failed to decode (and other socket warnings). */
  onwarning?: (err: Error) => void
}

export interface RefDHT extends EventEmitter {
  readonly id: Buffer | null
  readonly ephemeral: boolean
  readonly bootstrapped: boolean
  readonly table: { readonly id: Buffer, readonly k: number }
  readonly rpc: { readonly socket: Socket, readonly destroyed: boolean }
  ready (): Promise<void>
  bind (port?: number): Promise<number>
  address (): { address: string, port: number }
  remoteAddress (minSamples?: number): RefRemoteAddress
  sampledNAT (): Promise<boolean>
  request (target: Uint8Array | null, command: string, value: Uint8Array | null, to: Peer, opts?: RefRequestOptions): Promise<RefMessage>
  ping (to: Peer): Promise<RefMessage>
  requestAll (target: Uint8Array | null, command: string, value: Uint8Array | null, to: Peer[], opts?: { min?: number, max?: number }): Promise<RefMessage[]>
  query (target: Uint8Array, command: string, value?: Uint8Array | null, opts?: RefQueryOptions): RefQuery
  toArray (): Peer[]
  addNode (node: Peer): void
  destroy (): void
  on (event: 'request', listener: (req: RefRequest) => void): this
  on (event: string, listener: (...args: unknown[]) => void): this
}

export interface RefDHTConstructor {
  new (opts?: RefDHTOptions): RefDHT
  id (node: Peer, out?: Uint8Array): Buffer
  readonly OK: 0
  readonly UNKNOWN_COMMAND: 1
  readonly NAT_UNKNOWN: symbol
  readonly NAT_OPEN: symbol
  readonly NAT_PORT_CONSISTENT: symbol
}

interface CencCodec<T> {
  preencode (state: unknown, value: T): void
  encode (state: unknown, value: T): void
  decode (state: unknown): T
}

const require = createRequire(import.meta.url)
// compact-encoding as dht-rpc itself resolves it (a dependency of dht-rpc, not of @dht/rpc)
const requireFromReference = createRequire(require.resolve('dht-rpc'))
const cenc = requireFromReference('compact-encoding') as {
  encode<T> (codec: CencCodec<T>, value: T): Buffer
  decode<T> (codec: CencCodec<T>, buffer: Uint8Array): T
}
const messages = require('dht-rpc/lib/messages.js') as { message: CencCodec<RefMessage> }

export const RefDHT = require('dht-rpc') as RefDHTConstructor

/** The reference version, so a failure message can say what it was checked against. */
export const REFERENCE_VERSION = (require('dht-rpc/package.json') as { version: string }).version

/** Encodes a message with rc.6's codec (the fields it reads: see {@link RefMessage}). */
export function referenceEncode (m: Omit<RefMessage, 'version' | 'from'>): Buffer {
  return cenc.encode(messages.message, { version: 2, from: null, ...m })
}

/** Decodes a datagram with rc.6's codec; throws what it throws. */
export function referenceDecode (datagram: Uint8Array): RefMessage {
  return cenc.decode(messages.message, datagram)
}

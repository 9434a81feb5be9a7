// Types for the parts of the untyped reference packages that the benchmarks call.
declare module 'compact-encoding' {
  export interface State { start: number, end: number, buffer: Uint8Array }
  export interface Codec<T> {
    preencode (state: State, value: T): void
    encode (state: State, value: T): void
    decode (state: State): T
  }
  const cenc: {
    encode<T> (codec: Codec<T>, value: T): Uint8Array
    decode<T> (codec: Codec<T>, buffer: Uint8Array): T
  }
  export default cenc
}

/** What a reference query stream (streamx Readable) offers the benchmarks. */
interface ReferenceQuery<R> {
  on (event: 'data', fn: (reply: R) => void): unknown
  on (event: 'error' | 'close', fn: (err?: Error) => void): unknown
  finished (): Promise<void>
  destroy (err?: Error): void
  readonly closestReplies: R[]
}

declare module 'dht-rpc' {
  import type { Socket } from 'node:dgram'
  namespace DHT {
    interface Peer { host: string, port: number }
    interface Reply { from: Peer, id: Uint8Array | null, token: Uint8Array | null, status: number, value: Uint8Array | null }
    interface Request {
      readonly command: string
      readonly token: Uint8Array | null
      readonly commit: boolean
      reply (value: Uint8Array | null): void
    }
    type Query = ReferenceQuery<Reply>
  }
  class DHT {
    constructor (opts: { bootstrap: Array<string | DHT.Peer>, ephemeral: boolean, socket?: Socket })
    readonly id: Uint8Array | null
    readonly rpc: { readonly socket: Socket, readonly inflightRequests: number }
    readonly table: { readonly size: number }
    refresh (): void
    ready (): Promise<void>
    bind (port?: number): Promise<number>
    address (): { port: number }
    query (target: Uint8Array, command: string, value: Uint8Array | null, opts?: { commit?: boolean, nodes?: DHT.Peer[] }): DHT.Query
    request (target: Uint8Array | null, command: string, value: Uint8Array | null, to: DHT.Peer): Promise<DHT.Reply>
    ping (to: DHT.Peer): Promise<DHT.Reply>
    on (event: 'request', fn: (req: DHT.Request) => void): this
    destroy (): void
  }
  export = DHT
}

declare module 'dht-rpc-v6' {
  namespace DHT {
    interface Peer { host: string, port: number }
    interface Reply { from: Peer & { id: Uint8Array | null }, token: Uint8Array | null, error: number, value: Uint8Array | null }
    interface Request {
      readonly command: number
      readonly internal: boolean
      readonly token: Uint8Array | null
      reply (value: Uint8Array | null): void
    }
    type Query = ReferenceQuery<Reply>
    /** A udx-native socket, reduced to what the benchmarks wrap. */
    interface UdxSocket { trySend (buf: Uint8Array, port: number, host: string, ttl?: number): unknown }
    interface Options {
      bootstrap?: Array<string | Peer>
      ephemeral?: boolean
      host?: string
      port?: number
      firewalled?: boolean
      udx?: unknown
    }
  }
  class DHT {
    constructor (opts: DHT.Options)
    static bootstrapper (port: number, host: string, opts?: DHT.Options): DHT
    readonly id: Uint8Array | null
    readonly io: {
      readonly serverSocket: DHT.UdxSocket | null
      readonly clientSocket: DHT.UdxSocket | null
      readonly inflight: unknown[]
    }
    fullyBootstrapped (): Promise<void>
    address (): { port: number } | null
    findNode (target: Uint8Array, opts?: { commit?: boolean }): DHT.Query
    query (q: { target: Uint8Array, command: number, value?: Uint8Array | null }, opts?: { commit?: boolean }): DHT.Query
    request (q: { token?: Uint8Array | null, command: number, target?: Uint8Array | null, value?: Uint8Array | null }, to: DHT.Peer): Promise<DHT.Reply>
    ping (to: DHT.Peer): Promise<DHT.Reply>
    on (event: 'request', fn: (req: DHT.Request) => void): this
    destroy (): Promise<void>
  }
  export = DHT
}

// The line-based JSON protocol between a test and a node process (fixtures/node-process.ts):
// the test writes one command per line to the process's stdin, the process answers each on
// one stdout line with the same id. Its first stdout line is a LoadedLine; then 'start'
// creates the node.

import type { Peer } from '@dht/rpc'

/** How the node process creates its DHT (argv[2], as JSON). */
export interface NodeConfig {
  /** Passed to new DHT() as is; unset: adaptive. */
  ephemeral?: boolean
  bootstrap: Peer[]
  /** The port to bind (0 or unset: any). */
  port?: number
}

export type Command =
  /** Creates the node (new DHT(config)) and binds it. */
  | { cmd: 'start' }
  /** resetLoopDelay: start the event loop delay histogram afresh after reading it. */
  | { cmd: 'info', resetLoopDelay?: boolean }
  | { cmd: 'ready' }
  /** A find_node lookup of our own id, to the end: fills and refreshes the routing table. */
  | { cmd: 'refresh' }
  /** Stores `value` (hex) at the nodes closest to sha256(value): a query with commit: true. */
  | { cmd: 'put', value: string, timeoutMs: number }
  /** Looks up the value stored under `key` (hex), until a node returns it. */
  | { cmd: 'get', key: string, timeoutMs: number }
  /** A find_node lookup of `key` (hex), to the end. */
  | { cmd: 'lookup', key: string, timeoutMs: number }
  | { cmd: 'destroy' }

export type Request = Command & { id: number }

export type NatTypeName = 'NAT_UNKNOWN' | 'NAT_OPEN' | 'NAT_PORT_CONSISTENT' | 'NAT_PORT_INCREMENTING' | 'NAT_PORT_RANDOMIZED'

export interface NodeInfo {
  /** The bound address (host as bound, usually 0.0.0.0). */
  port: number
  ephemeral: boolean
  /** The routing id (hex), null while ephemeral. */
  id: string | null
  remoteAddress: { type: NatTypeName, host: string | null, port: number }
  /** The routing table. */
  table: Peer[]
  /** Events seen so far, in order: 'ready', 'persistent', 'ephemeral', 'wakeup'. */
  events: string[]
  /** How many values other nodes stored here with a commit. */
  stored: number
  io: { requestsSent: number, resends: number, timeouts: number, repliesReceived: number }
  /** How late the event loop ran (since the start or the last reset). */
  loopDelayMs: { max: number, p99: number }
}

/** What put and get resolve with: whether it worked, and how long it took. */
export interface OpResult {
  ok: boolean
  ms: number
  error: string | null
  /** put and lookup: how many closest replies the query ended with. */
  closest: number | null
}

export interface Results {
  start: { port: number }
  info: NodeInfo
  ready: null
  refresh: { ms: number, closest: number }
  put: OpResult
  get: OpResult
  lookup: OpResult
  destroy: null
}

export interface LoadedLine {
  loaded: true
}

export type Response =
  | { id: number, ok: true, result: unknown }
  | { id: number, ok: false, error: string }

// What the coordinating thread and the worker threads of a partitioned simulation say to
// each other. Every command gets one reply, which also reports what the partition did since
// the last one.

import type { SimPartition } from '@dht/sim'
import type { Peer } from '@dht/wire'
import type { DeadCount, LookupOutcome } from '../cluster.js'
import type { SimOptions } from '../network.js'
import type { DatagramBatch } from './datagrams.js'

export interface PartitionData {
  options: SimOptions
  partition: SimPartition
  /** How many nodes the partition will run. */
  nodes: number
}

export type Command =
  /** The least delay of a datagram on this partition's network (SimNetwork.lookahead). */
  | { op: 'lookahead' }
  /** Adds the bootstrap node (partition 0). */
  | { op: 'bootstrap' }
  | { op: 'join', count: number, bootstrap: Peer[] }
  /**
   * Takes the datagrams from other partitions, then runs the clock to `end` (see
   * ManualClock.runBefore); with `collectYoung`, after a scavenge of its young generation.
   */
  | { op: 'step', end: number, inbound: DatagramBatch[], collectYoung: boolean }
  | { op: 'lookup', token: number, from: number, target: { id: Uint8Array, host: string, port: number } }
  | { op: 'kill', locals: number[] }
  | { op: 'dead-entries', locals: number[], dead: string[] }
  | { op: 'table-sizes' }
  | { op: 'heap', collect: boolean }
  | { op: 'gc-ms' }
  | { op: 'destroy' }

export interface CommandResults {
  'lookahead': number
  'bootstrap': null
  'join': null
  'step': null
  'lookup': null
  'kill': null
  'dead-entries': DeadCount
  'table-sizes': number[]
  'heap': number
  'gc-ms': number
  'destroy': null
}

/** What a partition did since its last reply. */
export interface PartitionReport {
  /** When its next timer is due, or null when it has none. */
  nextAt: number | null
  /** Datagrams it sent to other partitions' hosts, by partition (null: none for it). */
  outbound: Array<DatagramBatch | null>
  /** Datagrams it has sent in all. */
  sent: number
  /** The share of its young generation in use (0 to 1). */
  youngFill: number
  /** Nodes that have joined, by their index in the partition. */
  joined: Array<{ local: number, host: string, port: number, id: Uint8Array }>
  lookups: Array<{ token: number, outcome: LookupOutcome }>
  /** Joins or lookups that failed. */
  failures: string[]
}

export interface Reply {
  seq: number
  report: PartitionReport
  value?: unknown
  error?: string
}

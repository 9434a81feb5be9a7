// One simulated network split over several SimNetworks (one per thread), each owning a share
// of the public addresses. A datagram for another share leaves through the outbox; the
// threads run in steps no longer than the least one-way delay, so a datagram sent during a
// step is never due before the step ends, and trading the outboxes between steps keeps the
// order of events the same on every run.

import { parseIPv4 } from '@dht/wire'

/** The share of one network among `count`. */
export interface SimPartition {
  /**
   * This network owns the public addresses whose number, counted from 20.0.0.1, is `index`
   * modulo `count`; every other public address belongs to another partition.
   */
  index: number
  /** How many partitions the network is split into. */
  count: number
  /**
   * Seeds where hosts sit on the latency plane, the same in every partition: a host's place
   * follows from its address, so any partition knows the delay to any other's hosts.
   */
  placementSeed: number
}

/** A datagram that left one partition for a host of another. */
export interface RemoteDatagram {
  /** When it is due, on the shared simulated time. */
  at: number
  /** The datagram. */
  message: Uint8Array
  /** The public address and port it comes from (a NAT's mapping, for a host behind one). */
  fromAddress: string
  /** See `fromAddress`. */
  fromPort: number
  /** The public address it goes to. */
  toAddress: string
  /** The port it goes to at that address. */
  toPort: number
}

export const FIRST_PUBLIC_ADDRESS = (20 << 24) + 1 // 20.0.0.1: simulated public hosts count up from here

/** The partition that owns `address` out of `count`, or -1 when it is not a simulated public address. */
export function ownerOf (address: string, count: number): number {
  const n = addressNumber(address)
  return n === null || n < FIRST_PUBLIC_ADDRESS ? -1 : (n - FIRST_PUBLIC_ADDRESS) % count
}

/** Where the host at `address` sits, from the placement seed: x and y in [0, 1). */
export function placeOf (address: string, seed: number): { x: number, y: number } {
  const n = addressNumber(address) ?? 0
  const a = mix(Math.imul(n, 0x9e3779b1) ^ seed)
  const b = mix(a ^ 0x6a09e667)
  return { x: a / 0x100000000, y: b / 0x100000000 }
}

export function formatIPv4 (n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
}

// the address as an unsigned number, or null unless a dotted-quad IPv4 address
function addressNumber (address: string): number | null {
  const ip = parseIPv4(address)
  return ip === null ? null : ip >>> 0
}

// murmur3's finalizer: an unsigned 32-bit hash of a 32-bit input
function mix (h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

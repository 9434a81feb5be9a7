// How a node notices that the network under it changed (a laptop moved to another Wi-Fi,
// a router got a new public address), from both ends: the machine's own addresses, read from
// its network interfaces on every tick, and the public address other nodes report seeing it
// at, agreed on by nat-sampler's consensus over the `to` of their messages. Each change is
// reported once, from whichever end sees it first; a single odd report is never one.

import { networkInterfaces as osNetworkInterfaces } from 'node:os'
import { AddressConsensus } from '@dht/nat'
import { systemClock } from '@dht/io'
import type { Clock } from '@dht/io'
import type { Peer } from '@dht/wire'
import { invalidArgument } from './errors.js'
import type { NodeState } from './node-state.js'

/** One address of a network interface: the fields of os.networkInterfaces()'s entries that the node reads. */
export interface NetworkInterfaceAddress {
  /** The address: `'192.168.1.23'`. */
  readonly address: string
  /** `'IPv4'` or `'IPv6'` (`4` or `6` from older Node versions). */
  readonly family: string | number
  /** A loopback address, which no other machine reaches. */
  readonly internal: boolean
}

/** What the `networkInterfaces` option returns: the shape of os.networkInterfaces(), by interface name. */
export type NetworkInterfaces = Readonly<Record<string, ReadonlyArray<NetworkInterfaceAddress> | undefined>>

/** The options of {@link sharedNetworkInterfaces}, all optional. */
export interface SharedNetworkInterfacesOptions {
  /** What is read. @default os.networkInterfaces */
  read?: () => NetworkInterfaces
  /** How old a reading may be before the next call reads again, ms. @default 1000 */
  maxAge?: number
  /** The clock the age is measured by. @default the real clock */
  clock?: Pick<Clock, 'now'>
}

/**
 * One reading of the machine's interfaces for the nodes of one process, given to each as its
 * `networkInterfaces` option: each node reads on each of its ticks, so 1,000 nodes on a
 * testnet would read the same interfaces 200 times a second. A reading is kept for `maxAge`
 * (a second: a node ticks every 5); a read that throws is not kept.
 */
export function sharedNetworkInterfaces (opts: SharedNetworkInterfacesOptions = {}): () => NetworkInterfaces {
  if (typeof opts !== 'object' || opts === null) throw invalidArgument('options', 'an object', opts)
  const read = opts.read ?? osNetworkInterfaces
  const maxAge = opts.maxAge ?? 1000
  const clock = opts.clock ?? systemClock
  if (typeof read !== 'function') throw invalidArgument('read', 'a function like os.networkInterfaces', read)
  if (typeof maxAge !== 'number' || !(maxAge >= 0)) throw invalidArgument('maxAge', 'a non-negative number of ms', maxAge)
  let reading: NetworkInterfaces | null = null
  let readAt = 0
  return () => {
    const now = clock.now()
    if (reading === null || now - readAt >= maxAge) {
      reading = read()
      readAt = now
    }
    return reading
  }
}

/** What a 'network-change' event carries: which end saw the change, and what changed. */
export type NetworkChange =
  | {
    /** The machine's own non-internal IPv4 addresses changed. */
    readonly reason: 'interfaces'
    /** Those addresses now, sorted. */
    readonly addresses: readonly string[]
    /** Those addresses before, sorted. */
    readonly previous: readonly string[]
  }
  | {
    /** The public host other nodes agree they see us at moved. */
    readonly reason: 'public-address'
    /** That host now. */
    readonly host: string
    /** That host before. */
    readonly previous: string
  }

/** What the watch needs from its node. */
export interface NetworkWatchHost {
  /** The node's flags: changes count once it is bootstrapped (before, it is still learning its network) and until it is destroyed. */
  readonly state: NodeState
  /** The network changed: the node learns its address again and tells the user. */
  changed (change: NetworkChange): void
  warn (err: Error): void
}

/** Watches both ends of a node's network; see the top of this file. */
export class NetworkWatch {
  readonly #host: NetworkWatchHost
  readonly #read: (() => NetworkInterfaces) | null
  readonly #consensus = new AddressConsensus()
  // the non-internal IPv4 addresses at the last read that had any, sorted; null before the first
  #addresses: readonly string[] | null = null
  #key = ''
  #failed = false

  /** `read` gives the machine's interfaces (os.networkInterfaces by default); false: not watched. */
  constructor (read: (() => NetworkInterfaces) | false | undefined, host: NetworkWatchHost) {
    this.#host = host
    this.#read = read === false ? null : read ?? osNetworkInterfaces
  }

  /**
   * `from`, a node whose id proved its address, saw us at `to`. When the agreed public host
   * moves, the interfaces are read first: a move they show too is reported once, as theirs.
   */
  sample (to: Peer, from: Peer): void {
    const moved = this.#consensus.add(to, from)
    if (moved === null || !this.#counts()) return
    if (this.poll()) return
    this.#host.changed({ reason: 'public-address', host: moved.host, previous: moved.previous })
  }

  /**
   * Reads the interfaces (on every tick); true when their addresses changed. A read that
   * finds no address at all (offline) is not a change: the node waits for addresses to come
   * back, and the same ones coming back are no change either.
   */
  poll (): boolean {
    if (this.#read === null) return false
    let addresses: string[]
    try {
      addresses = ipv4Addresses(this.#read())
    } catch (err) {
      // told once: a machine that cannot list its interfaces will not start to
      if (!this.#failed) this.#host.warn(err instanceof Error ? err : new Error(String(err)))
      this.#failed = true
      return false
    }
    if (addresses.length === 0) return false
    const key = addresses.join(' ')
    const previous = this.#addresses
    if (previous !== null && key === this.#key) return false
    this.#addresses = addresses
    this.#key = key
    if (previous === null || !this.#counts()) return false
    // the new network's reports are a new baseline, not a second move
    this.#consensus.reset()
    this.#host.changed({ reason: 'interfaces', addresses, previous })
    return true
  }

  // changes count once the node is bootstrapped, and never after it is destroyed
  #counts (): boolean {
    const state = this.#host.state
    return state.bootstrapped && !state.destroyed
  }
}

/** The distinct non-internal IPv4 addresses of `interfaces`, sorted: the summary compared between reads. */
export function ipv4Addresses (interfaces: NetworkInterfaces): string[] {
  const found = new Set<string>()
  for (const name of Object.keys(interfaces)) {
    const list = interfaces[name]
    if (!Array.isArray(list)) continue
    for (const entry of list as readonly NetworkInterfaceAddress[]) {
      if (entry === null || typeof entry !== 'object' || entry.internal) continue
      if ((entry.family === 'IPv4' || entry.family === 4) && typeof entry.address === 'string') found.add(entry.address)
    }
  }
  return [...found].sort()
}

// The addresses a lookup has seen. An IPv4 host and port go into an open-addressing table in
// one typed array, a slot being two int32s (address, port + 1): a lookup checks every closer
// node of every reply against it, and a Set of 48-bit number keys would allocate a heap number
// for each check. Other hosts (names given as bootstrap nodes) go into a plain Set.

import { parseIPv4 } from '@dht/wire'
import type { Peer } from '@dht/wire'

const EMPTY = 0

// Slots to start with: room for 128 addresses at half load, about what a lookup in a large
// network sees, so that the table seldom grows (each growth is a new off-heap buffer).
const INITIAL_SLOTS = 256

export class AddressSet {
  // [ip, port + 1] per slot; port + 1 so that 0 marks a free slot
  private slots = new Int32Array(2 * INITIAL_SLOTS)
  private count = 0
  private others: Set<string> | null = null

  /** Adds the peer's host:port; false when it was already in. */
  add (peer: Peer): boolean {
    const ip = parseIPv4(peer.host)
    const port = peer.port
    if (ip === null) return this.addOther(peer.host, port)
    if (this.find(ip, port) >= 0) return false
    if (4 * (this.count + 1) > this.slots.length) this.grow()
    this.insert(ip, port)
    this.count++
    return true
  }

  has (peer: Peer): boolean {
    const ip = parseIPv4(peer.host)
    if (ip === null) return this.others !== null && this.others.has(peer.host + ':' + peer.port)
    return this.find(ip, peer.port) >= 0
  }

  // the slot holding ip:port, or -1
  private find (ip: number, port: number): number {
    const slots = this.slots
    const mask = (slots.length >> 1) - 1
    for (let i = slotOf(ip, port, mask); ; i = (i + 1) & mask) {
      const p = slots[2 * i + 1]!
      if (p === EMPTY) return -1
      if (p === port + 1 && slots[2 * i] === ip) return i
    }
  }

  private insert (ip: number, port: number): void {
    const slots = this.slots
    const mask = (slots.length >> 1) - 1
    let i = slotOf(ip, port, mask)
    while (slots[2 * i + 1] !== EMPTY) i = (i + 1) & mask
    slots[2 * i] = ip
    slots[2 * i + 1] = port + 1
  }

  private grow (): void {
    const old = this.slots
    this.slots = new Int32Array(old.length * 2)
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== EMPTY) this.insert(old[i]!, old[i + 1]! - 1)
  }

  private addOther (host: string, port: number): boolean {
    const key = host + ':' + port
    this.others ??= new Set()
    if (this.others.has(key)) return false
    this.others.add(key)
    return true
  }
}

function slotOf (ip: number, port: number, mask: number): number {
  const h = Math.imul(ip ^ Math.imul(port, 0x9e3779b1), 0x85ebca6b)
  return (h ^ (h >>> 15)) & mask
}

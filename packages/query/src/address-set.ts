// The addresses a lookup has seen. An IPv4 host and port go into an open-addressing table of
// typed arrays: a lookup checks every closer node of every reply against it, and a Set of
// 48-bit number keys would allocate a heap number for each check. Other hosts (names given as
// bootstrap nodes) go into a plain Set.

import { parseIPv4 } from '@dht/wire'

const EMPTY = 0

export class AddressSet {
  private ips = new Int32Array(64)
  // port + 1, so that 0 marks a free slot
  private ports = new Int32Array(64)
  private count = 0
  private others: Set<string> | null = null

  /** Adds host:port; false when it was already in. */
  add (host: string, port: number): boolean {
    const ip = parseIPv4(host)
    if (ip === null) return this.addOther(host, port)
    if (this.find(ip, port) >= 0) return false
    if (2 * (this.count + 1) > this.ips.length) this.grow()
    this.insert(ip, port)
    this.count++
    return true
  }

  has (host: string, port: number): boolean {
    const ip = parseIPv4(host)
    if (ip === null) return this.others !== null && this.others.has(host + ':' + port)
    return this.find(ip, port) >= 0
  }

  // the slot holding ip:port, or -1
  private find (ip: number, port: number): number {
    const mask = this.ips.length - 1
    for (let i = slotOf(ip, port, mask); ; i = (i + 1) & mask) {
      const p = this.ports[i]!
      if (p === EMPTY) return -1
      if (p === port + 1 && this.ips[i] === ip) return i
    }
  }

  private insert (ip: number, port: number): void {
    const mask = this.ips.length - 1
    let i = slotOf(ip, port, mask)
    while (this.ports[i] !== EMPTY) i = (i + 1) & mask
    this.ips[i] = ip
    this.ports[i] = port + 1
  }

  private grow (): void {
    const ips = this.ips
    const ports = this.ports
    this.ips = new Int32Array(ips.length * 2)
    this.ports = new Int32Array(ports.length * 2)
    for (let i = 0; i < ips.length; i++) if (ports[i] !== EMPTY) this.insert(ips[i]!, ports[i]! - 1)
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

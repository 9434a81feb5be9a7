// A direct-mapped cache of values by IPv4 address and port: one slot per hash of the two,
// the newest value winning a slot. A node hears of the same few thousand addresses again and
// again, so a lookup is two multiplications and three array reads, and the memory is fixed.

export class AddressCache<T> {
  private readonly shift: number
  private readonly ips: Int32Array
  private readonly ports: Int32Array
  private readonly values: Array<T | null>

  /** 2^slotBits slots. */
  constructor (slotBits: number) {
    const slots = 1 << slotBits
    this.shift = 32 - slotBits
    this.ips = new Int32Array(slots)
    this.ports = new Int32Array(slots).fill(-1)
    this.values = new Array<T | null>(slots).fill(null)
  }

  /** The value cached for `ip` (its 32 bits, as parseIPv4 gives them) and `port`, or null. */
  get (ip: number, port: number): T | null {
    const slot = this.slotOf(ip, port)
    const value = this.values[slot]
    return value !== null && value !== undefined && this.ips[slot] === ip && this.ports[slot] === port ? value : null
  }

  set (ip: number, port: number, value: T): void {
    const slot = this.slotOf(ip, port)
    this.ips[slot] = ip
    this.ports[slot] = port
    this.values[slot] = value
  }

  private slotOf (ip: number, port: number): number {
    return Math.imul(ip ^ Math.imul(port, 0x45d9f3b), 0x9e3779b1) >>> this.shift // the top bits
  }
}

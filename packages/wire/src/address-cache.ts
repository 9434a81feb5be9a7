// A direct-mapped cache of values by IPv4 address and port: one slot per hash of the two,
// the newest value winning a slot. A node hears of the same few thousand addresses again and
// again, so a lookup is two multiplications and three array reads, and the memory is fixed.

export class AddressCache<T> {
  private shift: number
  private ips: Int32Array
  private ports: Int32Array
  private values: Array<T | null>

  /** 2^slotBits slots. */
  constructor (slotBits: number) {
    this.shift = 32 - slotBits
    this.ips = new Int32Array(0)
    this.ports = new Int32Array(0)
    this.values = []
    this.allocate(slotBits)
  }

  /** log2 of the number of slots. */
  get slotBits (): number {
    return 32 - this.shift
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

  /** Grows to 2^slotBits slots, empty, unless it has that many already. */
  growTo (slotBits: number): void {
    if (slotBits > this.slotBits) this.allocate(slotBits)
  }

  private allocate (slotBits: number): void {
    const slots = 1 << slotBits
    this.shift = 32 - slotBits
    this.ips = new Int32Array(slots)
    this.ports = new Int32Array(slots).fill(-1)
    this.values = new Array<T | null>(slots).fill(null)
  }

  private slotOf (ip: number, port: number): number {
    return Math.imul(ip ^ Math.imul(port, 0x45d9f3b), 0x9e3779b1) >>> this.shift // the top bits
  }
}

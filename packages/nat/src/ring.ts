/**
 * A fixed ring of samples, one per referrer. Slots are allocated once and rewritten
 * in place, so adding a sample never allocates.
 */

export interface Slot {
  host: string
  port: number
  referrerHost: string
  referrerPort: number
}

export class SampleRing {
  readonly slots: readonly Slot[]
  /** Filled slots: always slots 0 .. length - 1. */
  length = 0
  private top = 0
  private readonly mask: number

  /** `capacity` must be a power of two (the caller checks). */
  constructor (capacity: number) {
    const slots: Slot[] = []
    for (let i = 0; i < capacity; i++) slots.push({ host: '', port: 0, referrerHost: '', referrerPort: 0 })
    this.slots = slots
    this.mask = capacity - 1
  }

  /** The slot holding this referrer's sample, or -1. */
  indexOf (referrerHost: string, referrerPort: number): number {
    for (let i = 0; i < this.length; i++) {
      const s = this.slots[i]!
      if (s.referrerPort === referrerPort && s.referrerHost === referrerHost) return i
    }
    return -1
  }

  /**
   * Record a sample. A referrer that already has one gets it overwritten where it sits;
   * a new referrer takes the next slot, evicting the oldest once the ring is full.
   */
  put (host: string, port: number, referrerHost: string, referrerPort: number): void {
    const existing = this.indexOf(referrerHost, referrerPort)
    if (existing !== -1) {
      const s = this.slots[existing]!
      s.host = host
      s.port = port
      return
    }

    const s = this.slots[this.top]!
    s.host = host
    s.port = port
    s.referrerHost = referrerHost
    s.referrerPort = referrerPort
    this.top = (this.top + 1) & this.mask
    if (this.length < this.slots.length) this.length++
  }
}

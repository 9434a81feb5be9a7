/**
 * The politeness window of dht-rpc: at most `maxWindow` requests sent per slot and twice
 * that over the last four slots, where a reply gives back the send it answers, in the slot
 * that counted it. Unlike the reference, the owner sends a waiting request as soon as
 * {@link release} frees room, not at the next slot boundary; and a reply credits its own
 * send's slot, not the current one, so sends that were answered never hold the window.
 * (Crediting the current slot, as the reference does, stalls a busy node: replies that land
 * in a slot with no sends yet give nothing back, and the sends they answer stay counted until
 * their slot is forgotten, up to 3 s later.)
 */
export class CongestionWindow {
  /** Sends per slot at most. */
  readonly maxWindow: number
  private readonly slots = [0, 0, 0, 0]
  // slots started so far: the current slot is slots[epoch & 3]
  private epoch = 0
  private total = 0

  constructor (maxWindow: number) {
    this.maxWindow = maxWindow
  }

  /** True when one more request may be sent now. */
  hasRoom (): boolean {
    return this.total < 2 * this.maxWindow && this.slots[this.epoch & 3]! < this.maxWindow
  }

  /** Counts a send; returns the slot it was counted in, for {@link release}. */
  take (): number {
    this.slots[this.epoch & 3]!++
    this.total++
    return this.epoch
  }

  /**
   * A reply arrived: give back one send of the slot `sentIn` (what {@link take} returned for
   * the send it answers; the current slot by default), unless that slot is forgotten already.
   */
  release (sentIn = this.epoch): void {
    if (this.epoch - sentIn > 3) return
    const slot = sentIn & 3
    if (this.slots[slot]! > 0) {
      this.slots[slot]!--
      this.total--
    }
  }

  /** Moves to the next slot, forgetting the oldest. */
  rotate (): void {
    const slot = ++this.epoch & 3
    this.total -= this.slots[slot]!
    this.slots[slot] = 0
  }

  /**
   * Forgets every send counted, as if their slots had all passed: for when none of them can
   * be answered any more (the IO was suspended), so they hold nothing back afterwards.
   */
  clear (): void {
    this.slots.fill(0)
    this.total = 0
  }

  /** True when no slot counts any send. */
  isIdle (): boolean {
    return this.total === 0
  }
}

/**
 * The politeness window of dht-rpc: at most `maxWindow` requests sent per slot and twice
 * that over the last four slots, where a reply gives its slot back. Unlike the reference,
 * the owner sends a waiting request as soon as {@link release} frees room, not at the next
 * slot boundary.
 */
export class CongestionWindow {
  readonly maxWindow: number
  private readonly slots = [0, 0, 0, 0]
  private slot = 0
  private total = 0

  constructor (maxWindow: number) {
    this.maxWindow = maxWindow
  }

  /** True when one more request may be sent now. */
  hasRoom (): boolean {
    return this.total < 2 * this.maxWindow && this.slots[this.slot]! < this.maxWindow
  }

  /** Counts a send. */
  take (): void {
    this.slots[this.slot]!++
    this.total++
  }

  /** A reply arrived: give back one send of the current slot, if it has any. */
  release (): void {
    if (this.slots[this.slot]! > 0) {
      this.slots[this.slot]!--
      this.total--
    }
  }

  /** Moves to the next slot, forgetting the oldest. */
  rotate (): void {
    this.slot = (this.slot + 1) & 3
    this.total -= this.slots[this.slot]!
    this.slots[this.slot] = 0
  }

  /** True when no slot counts any send. */
  isIdle (): boolean {
    return this.total === 0
  }
}

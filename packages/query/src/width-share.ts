// Lookups run at once share one budget of requests in flight.

import { QueryError } from './errors.js'

/** The options of a {@link WidthShare}. */
export interface WidthShareOptions {
  /** Requests in flight that two or more lookups together stay under (unless `min` each is more). */
  budget: number
  /** The width of a lookup that runs alone: no lookup's width goes above it. */
  max: number
  /** No lookup's width goes below this, however many there are. @default 3 */
  min?: number
}

/**
 * Lookups run at once share one budget of requests in flight: while n of them have
 * {@link enter}ed, each may keep budget / n requests in flight, between `min` and `max`. Give
 * each lookup `concurrency: share.width` and call {@link enter} as it starts and
 * {@link leave} as it ends; a lookup asks for its width every time it decides whether to send.
 *
 * A wide lookup is fast when it runs alone, but it pays for that: its first round asks the k
 * nodes of the table nearest to the target, most of which end up farther than the k closest
 * it finds. When many lookups compete for the same window (or the same CPU), those extra
 * requests are what slows every one of them down, so under load the lookups narrow and each
 * finishes sooner.
 */
export class WidthShare {
  /** No lookup's width goes below this. */
  readonly min: number
  private budget: number
  private maxWidth: number
  private members = 0

  constructor (opts: WidthShareOptions) {
    const min = opts.min ?? 3
    assertWidth(opts.budget, 'budget')
    assertWidth(opts.max, 'max')
    assertWidth(min, 'min')
    this.budget = opts.budget
    this.maxWidth = opts.max
    this.min = min
  }

  /** Lookups sharing now. */
  get size (): number {
    return this.members
  }

  /** The width of a lookup that runs alone. */
  get max (): number {
    return this.maxWidth
  }

  /** The width of each lookup now: `max` alone, a share of the budget with others. Bound, so it can be passed as a `concurrency`. */
  readonly width = (): number => this.widthFor(this.members)

  /** The width each of `n` lookups gets. */
  widthFor (n: number): number {
    if (n <= 1) return this.maxWidth
    return Math.min(this.maxWidth, Math.max(this.min, Math.floor(this.budget / n)))
  }

  /** A lookup starts sharing. */
  enter (): void {
    this.members++
  }

  /** A lookup stops sharing (call once for each {@link enter}). */
  leave (): void {
    if (this.members > 0) this.members--
  }

  /** Changes the budget or the width of a lone lookup. */
  configure (opts: { budget?: number, max?: number }): void {
    if (opts.budget !== undefined) assertWidth(opts.budget, 'budget')
    if (opts.max !== undefined) assertWidth(opts.max, 'max')
    this.budget = opts.budget ?? this.budget
    this.maxWidth = opts.max ?? this.maxWidth
  }
}

function assertWidth (n: unknown, name: string): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw QueryError.INVALID_ARGUMENT(name, 'a positive integer', n)
}

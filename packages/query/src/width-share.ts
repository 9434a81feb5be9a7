import { QueryError } from './errors.js'

/** What a {@link WidthShare} sets: a query's {@link Query.concurrency}, or anything with one. */
export interface Widened {
  concurrency: number
}

export interface WidthShareOptions {
  /** Requests in flight that two or more members together stay under (unless `min` each is more). */
  budget: number
  /** The width of a member that runs alone: its width never goes above it. */
  max: number
  /** No member goes below this width, however many there are. @default 3 */
  min?: number
}

/**
 * Lookups run at once share one budget of requests in flight: each gets budget / n of it,
 * between `min` and `max`, set again whenever one starts or ends.
 *
 * A wide lookup is fast when it runs alone, but it pays for that: its first round asks the k
 * nodes of the table nearest to the target, most of which end up farther than the k closest
 * it finds. In a network of 1000 nodes a lookup of width 20 sends about 43 requests, one of
 * width 3 about 22, with the same recall. When many lookups compete for the same window (or
 * the same CPU), those extra requests are what slows every one of them down, so under load
 * the lookups narrow and each finishes sooner.
 */
export class WidthShare {
  readonly min: number
  private budget: number
  private maxWidth: number
  private readonly members = new Set<Widened>()

  constructor (opts: WidthShareOptions) {
    const min = opts.min ?? 3
    assertWidth(opts.budget, 'budget')
    assertWidth(opts.max, 'max')
    assertWidth(min, 'min')
    this.budget = opts.budget
    this.maxWidth = opts.max
    this.min = min
  }

  /** Members now. */
  get size (): number {
    return this.members.size
  }

  /** The width of a member that runs alone. */
  get max (): number {
    return this.maxWidth
  }

  /** The width each of `n` members gets: `max` alone, a share of the budget with others. */
  widthFor (n: number): number {
    if (n <= 1) return this.maxWidth
    return Math.min(this.maxWidth, Math.max(this.min, Math.floor(this.budget / n)))
  }

  /** Starts sharing; the member's width is set at once, and the others' narrowed. */
  add (member: Widened): void {
    if (this.members.has(member)) return
    this.members.add(member)
    this.rebalance()
  }

  /** Stops sharing (the member keeps its last width); the others widen. */
  delete (member: Widened): void {
    if (this.members.delete(member)) this.rebalance()
  }

  /** Changes the budget or the width of a lone member, and sets every member's width again. */
  configure (opts: { budget?: number, max?: number }): void {
    if (opts.budget !== undefined) assertWidth(opts.budget, 'budget')
    if (opts.max !== undefined) assertWidth(opts.max, 'max')
    this.budget = opts.budget ?? this.budget
    this.maxWidth = opts.max ?? this.maxWidth
    this.rebalance()
  }

  private rebalance (): void {
    const width = this.widthFor(this.members.size)
    for (const member of this.members) {
      if (member.concurrency !== width) member.concurrency = width
    }
  }
}

function assertWidth (n: unknown, name: string): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw QueryError.INVALID_ARGUMENT(name, 'a positive integer', n)
}

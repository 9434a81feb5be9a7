/**
 * Which public host the referrers agree on, counted the way dht-rpc 5.0.0-rc.6 counts:
 * over the slots in ring order, the first host to reach the highest count wins, and it
 * needs at least half of the samples (rounded down).
 */

import type { Slot } from './ring.js'

/** The agreed host of slots 0 .. length - 1, or null when none has half of them. */
export function consensusHost (slots: readonly Slot[], length: number): string | null {
  let best: string | null = null
  let bestHits = 0

  // Quadratic, but over at most a ring's worth of slots and with no map to allocate.
  for (let i = 0; i < length; i++) {
    const host = slots[i]!.host
    let hits = 1
    for (let j = 0; j < i; j++) {
      if (slots[j]!.host === host) hits++
    }
    // Strictly greater: on a tie the host that got there first in slot order stays.
    if (hits > bestHits) {
      bestHits = hits
      best = host
    }
  }

  // Rounded down, so 1 of 3 or 2 of 5 is enough; matches rc.6.
  return bestHits < (length >> 1) ? null : best
}

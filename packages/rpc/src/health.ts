// A node's health, from the share of its requests that timed out over the last few ticks.
// A share read off a handful of requests jumps about, and one threshold makes the state
// flicker on a network that loses a steady part of its datagrams (as dht-rpc 6's did), so:
// - the share is taken over a window of several ticks, not one;
// - a window with too few requests (an idle node) tells nothing and keeps the state;
// - every change has two marks (hysteresis): to go degraded the share must rise above a high
//   mark, to come back online it must fall below a lower one, and the same for offline.
// Replies and timeouts are counted where a request ends, so a request cancelled before its
// end (a lookup that finished without it) counts for neither.

/** How a node's requests fare: most answered, many timing out, or (almost) all timing out. */
export type DHTHealth = 'online' | 'degraded' | 'offline'

/** Ticks the share is taken over: a minute of 5 s ticks, long enough that a few unlucky requests do not move it. */
export const WINDOW_TICKS = 12
/** Requests that ended in the window below which it is idle and the state stays. */
export const MIN_REQUESTS = 10
/** Online goes degraded above this share of timeouts. */
export const DEGRADED_ABOVE = 0.25
/** Degraded (or offline) comes back online below this share: well under DEGRADED_ABOVE, so the noise of a steady loss does not cross both. */
export const ONLINE_BELOW = 0.1
/** Online or degraded goes offline above this share: almost every request timed out, re-sends and all. */
export const OFFLINE_ABOVE = 0.9
/** Offline comes back to degraded below this share (and online below ONLINE_BELOW). */
export const NOT_OFFLINE_BELOW = 0.7

/** The marks of a {@link Health}, all optional (tests use their own). */
export interface HealthOptions {
  /** @default WINDOW_TICKS */
  windowTicks?: number
  /** @default MIN_REQUESTS */
  minRequests?: number
}

/**
 * The health of a node, fed once a tick with the requests that ended in it and how many of
 * them timed out ({@link Health.update}), or with running totals ({@link Health.updateTotals}).
 */
export class Health {
  /** The current state; every node starts online. */
  state: DHTHealth = 'online'
  private readonly ended: Float64Array
  private readonly timedOut: Float64Array
  private readonly minRequests: number
  private next = 0
  private lastEnded = 0
  private lastTimedOut = 0

  constructor (opts: HealthOptions = {}) {
    const ticks = opts.windowTicks ?? WINDOW_TICKS
    this.ended = new Float64Array(ticks)
    this.timedOut = new Float64Array(ticks)
    this.minRequests = opts.minRequests ?? MIN_REQUESTS
  }

  /** The share of the window's requests that timed out, or null when the window is idle. */
  get share (): number | null {
    let ended = 0
    let timedOut = 0
    for (let i = 0; i < this.ended.length; i++) {
      ended += this.ended[i]!
      timedOut += this.timedOut[i]!
    }
    return ended < this.minRequests ? null : timedOut / ended
  }

  /**
   * One tick: `ended` requests got their reply or timed out in it, `timedOut` of them timed
   * out. Returns the new state when it changed, else null.
   */
  update (ended: number, timedOut: number): DHTHealth | null {
    this.ended[this.next] = ended
    this.timedOut[this.next] = timedOut
    this.next = (this.next + 1) % this.ended.length
    const share = this.share
    if (share === null) return null
    const state = nextState(this.state, share)
    if (state === this.state) return null
    this.state = state
    return state
  }

  /** {@link Health.update} from running totals (from 0 when the Health was made): this tick's are the difference from the last call's. */
  updateTotals (ended: number, timedOut: number): DHTHealth | null {
    const tick = ended - this.lastEnded
    const tickTimedOut = timedOut - this.lastTimedOut
    this.lastEnded = ended
    this.lastTimedOut = timedOut
    return this.update(tick, tickTimedOut)
  }
}

function nextState (state: DHTHealth, share: number): DHTHealth {
  switch (state) {
    case 'online':
      return share > OFFLINE_ABOVE ? 'offline' : share > DEGRADED_ABOVE ? 'degraded' : 'online'
    case 'degraded':
      return share > OFFLINE_ABOVE ? 'offline' : share < ONLINE_BELOW ? 'online' : 'degraded'
    case 'offline':
      return share < ONLINE_BELOW ? 'online' : share < NOT_OFFLINE_BELOW ? 'degraded' : 'offline'
  }
}

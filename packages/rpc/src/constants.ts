export const TICK_MS = 5000
/** A gap this long between ticks means the machine slept. */
export const SLEEP_MS = 3 * TICK_MS
export const PERSISTENT_TICKS = 240 // ~20 min of healthy uptime before an adaptive node goes persistent
export const MORE_PERSISTENT_TICKS = 3 * PERSISTENT_TICKS // after a failed attempt or a wake-up
export const REFRESH_TICKS = 60 // a background refresh every ~5 min when idle
export const RECENT_NODE = 20 // seen within ~1.5 min
export const OLD_NODE = 360 // in the table for more than ~30 min
export const PING_SOME_EVERY = 8 // ticks between pings of the stalest nodes
export const MAX_REPINGS = 3 // pings of full buckets' stalest entries at once
export const MAX_REPING_QUEUE = 128
export const NAT_SAMPLES = 16
export const MAX_PING_BYTES = 32 // a ping with a larger value gets no reply: no amplification
/** Recently seen nodes asked to ping_nat us before we go persistent; 3 of them must answer. */
export const FIREWALL_CHECK_NODES = 5
/** The reply status of a node that has no handler for the command. */
export const UNKNOWN_COMMAND = 1

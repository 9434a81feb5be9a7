/**
 * The NAT classes a node can report about itself. Each is a registered symbol
 * (`Symbol.for`) under the same key dht-rpc uses, so values from either package
 * compare equal with `===`.
 */

/** Too few samples, or no host seen by at least half of the referrers. */
export const NAT_UNKNOWN = Symbol.for('NAT_UNKNOWN')

/** Every referrer sees the same port: we are reachable there (given a hole punch). */
export const NAT_PORT_CONSISTENT = Symbol.for('NAT_PORT_CONSISTENT')

/** Ports differ, but sit close together: the NAT hands out ports in sequence. */
export const NAT_PORT_INCREMENTING = Symbol.for('NAT_PORT_INCREMENTING')

/** Ports are spread out: the NAT picks a new random port per destination. */
export const NAT_PORT_RANDOMIZED = Symbol.for('NAT_PORT_RANDOMIZED')

/**
 * Port consistent and reachable without a hole punch. The analyzer never returns it:
 * a full node reports it instead of NAT_PORT_CONSISTENT once it is persistent.
 */
export const NAT_OPEN = Symbol.for('NAT_OPEN')

/** Any of the NAT classes, including NAT_OPEN. */
export type NatType =
  | typeof NAT_UNKNOWN
  | typeof NAT_OPEN
  | typeof NAT_PORT_CONSISTENT
  | typeof NAT_PORT_INCREMENTING
  | typeof NAT_PORT_RANDOMIZED

// Ambient declarations for the untyped dependencies, limited to what this package calls.
// They are private: no public type of @dht/nat refers to them.

declare module 'nat-sampler' {
  /** nat-sampler 1.x: a consensus over the last 16 reported addresses, by arrival order. */
  export default class NatSampler {
    /** The agreed host, or null while the samples do not agree. */
    host: string | null
    /** The agreed port, or 0 when the host is agreed but the port is not. */
    port: number
    /** Samples counted, at most 16. */
    size: number
    /** Adds one report of our address; returns how many samples back it up. */
    add (host: string, port: number): number
  }
}

// What a query gives out: the events of its stream and the closest nodes it found.

import type { ReadableEvents } from 'streamx'

/** The events of a query stream: `data` carries what `map` made of a reply. */
export interface QueryEvents<T> extends ReadableEvents {
  /** A reply with status 0, through `map`. */
  data: [data: T]
}

/** One of the closest nodes a query found. */
export interface ClosestNode {
  /** Its 32-byte routing id, from its reply. */
  id: Uint8Array
  /** The address its reply came from. */
  host: string
  /** The port its reply came from. */
  port: number
}

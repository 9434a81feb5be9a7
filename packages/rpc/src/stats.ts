// What `node.stats` returns: a plain copy of the node's counters, made when asked. The
// counting itself happens where the datagrams go and come (@dht/io's IOCounters); this file
// only reads it, so a node that is never asked pays nothing here.

import type { CommandCounters, IOCounters } from '@dht/io'

/** The percentiles of round trips that {@link DHTStats.rtt} reports. */
const PERCENTILES = [50, 90, 99] as const

/** Counters of requests and replies, from the node's start (those of one command, or totals). */
export interface RequestCounts {
  /** Requests sent, each counted once however often it was re-sent. */
  requestsSent: number
  /** Requests received and handed to their handler (re-sends of one already received are not counted again). */
  requestsReceived: number
  /** Replies received to our requests. */
  repliesReceived: number
  /** Replies sent. */
  repliesSent: number
  /** Our requests that got no reply before their timeout (`REQUEST_TIMEOUT`). */
  timeouts: number
  /** Re-sends of our requests that were not answered in time. */
  resends: number
  /** Requests received and dropped unread: their source was over the rate limit. */
  rateLimited: number
  /** Bytes received. */
  bytesIn: number
  /** Bytes sent. */
  bytesOut: number
}

/** The counters of one command, built in (`ping`, `ping_nat`, `find_node`) or yours. */
export interface CommandStats extends RequestCounts {
  /** The command. */
  command: string
}

/** What {@link DHT.stats} returns: a snapshot of the node's counters, plain data. */
export interface DHTStats {
  /**
   * Every command the node has sent or received, in the order first seen (the built-in ones
   * first), up to 64 commands; further ones are summed in `otherCommands`.
   */
  commands: CommandStats[]
  /** Commands past the first 64, summed: a peer that makes up command names cannot grow the counters. */
  otherCommands: RequestCounts
  /** Over every command; `bytesIn` also counts datagrams that did not decode or matched no request. */
  totals: RequestCounts & {
    /** Datagrams that did not decode. */
    invalidDatagrams: number
    /** Re-sent requests dropped, or answered again with the same reply, rather than handled again. */
    duplicates: number
  }
  /** Round trips of the latest replies (at most 256) to requests answered at the first send, in ms; null when there were none. */
  rtt: {
    /** Round trips the percentiles are taken over. */
    samples: number
    /** The median. */
    p50: number | null
    /** The 90th percentile. */
    p90: number | null
    /** The 99th percentile. */
    p99: number | null
  }
  /** Nodes in the routing table. */
  tableSize: number
  /** Lookups running (`query()` and the node's own, such as refreshes). */
  lookups: number
  /** Requests sent and not yet answered, failed or cancelled. */
  inflightRequests: number
}

/** A snapshot of `counters` and the node's other figures. */
export function snapshot (counters: IOCounters, figures: Pick<DHTStats, 'tableSize' | 'lookups' | 'inflightRequests'>): DHTStats {
  const commands: CommandStats[] = []
  for (const c of counters.commands.values()) commands.push({ command: c.command!, ...countsOf(c) })
  const [p50, p90, p99] = counters.rtt.percentiles(PERCENTILES)
  return {
    commands,
    otherCommands: countsOf(counters.other),
    totals: {
      requestsSent: counters.requestsSent,
      requestsReceived: counters.requestsReceived,
      repliesReceived: counters.repliesReceived,
      repliesSent: counters.repliesSent,
      timeouts: counters.timeouts,
      resends: counters.resends,
      rateLimited: counters.rateLimited,
      bytesIn: counters.bytesIn,
      bytesOut: counters.bytesOut,
      invalidDatagrams: counters.invalidDatagrams,
      duplicates: counters.duplicates
    },
    rtt: { samples: counters.rtt.size, p50: p50 ?? null, p90: p90 ?? null, p99: p99 ?? null },
    ...figures
  }
}

function countsOf (c: CommandCounters): RequestCounts {
  return {
    requestsSent: c.requestsSent,
    requestsReceived: c.requestsReceived,
    repliesReceived: c.repliesReceived,
    repliesSent: c.repliesSent,
    timeouts: c.timeouts,
    resends: c.resends,
    rateLimited: c.rateLimited,
    bytesIn: c.bytesIn,
    bytesOut: c.bytesOut
  }
}

// The key-value store of the dht-rpc README, on its 'values' command: a value is stored
// under key = sha256(value) on the nodes closest to the key, and found by a lookup that
// stops at the first reply carrying it.
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { DHT } from '../dht.js'
import type { Peer } from '@dht/wire'

export const VALUES = 'values'

export function sha256 (value: Uint8Array): Buffer {
  return createHash('sha256').update(value).digest()
}

/** The storing side: answers 'values' lookups from `store` and stores on a commit. */
export function serveValues (node: DHT, store = new Map<string, Uint8Array>()): Map<string, Uint8Array> {
  node.on('request', (req) => {
    if (req.command !== VALUES) return
    if (req.commit) { // the asker proved its address with our round-trip token
      if (req.value !== null) store.set(sha256(req.value).toString('hex'), req.value)
      req.reply(null)
      return
    }
    req.reply(req.target !== null ? store.get(Buffer.from(req.target).toString('hex')) ?? null : null)
  })
  return store
}

/** What a lookup did: nodes asked, and how many answered with status 0. */
export interface LookupCounts {
  asked: number
  replies: number
  ms: number
}

export interface PutResult extends LookupCounts {
  key: Buffer
  /** Closest nodes the value was committed to. */
  committed: number
  /** Closest nodes that acknowledged the commit (and so stored the value). */
  stored: number
}

export interface GetResult extends LookupCounts {
  key: Uint8Array
  /** The value, or null when no node had it. */
  value: Uint8Array | null
  /** The node whose reply carried it. */
  holder: Peer | null
}

/**
 * Stores `value` under sha256(value): a lookup of the key, then a commit to the closest
 * nodes. The commit does what `commit: true` does (re-send the command with each node's
 * round-trip token), and counts the acknowledgements.
 */
export async function putValue (node: DHT, value: Uint8Array): Promise<PutResult> {
  const start = performance.now()
  const key = sha256(value)
  let stored = 0
  const query = node.query(key, VALUES, value, {
    async commit (reply, dht) {
      if (reply.token === null) throw new Error(`${reply.from.host}:${reply.from.port} sent no round-trip token`)
      await dht.request(key, VALUES, value, reply.from, { token: reply.token })
      stored++
    }
  })
  await query.finished()
  return { key, committed: query.closestReplies.length, stored, asked: query.successes + query.errors, replies: query.successes, ms: performance.now() - start }
}

/** Looks up `key` and stops at the first reply whose value hashes to it. */
export async function getValue (node: DHT, key: Uint8Array): Promise<GetResult> {
  const start = performance.now()
  const query = node.query(key, VALUES, null)
  let found: { value: Uint8Array, holder: Peer } | null = null
  let asked = 0
  for await (const reply of query) {
    if (reply.value !== null && sha256(reply.value).equals(key)) {
      found = { value: reply.value, holder: reply.from }
      asked = query.successes + query.errors + query.inflight // counted before break cancels the rest
      break
    }
  }
  if (found === null) asked = query.successes + query.errors
  return { key, value: found?.value ?? null, holder: found?.holder ?? null, asked, replies: query.successes, ms: performance.now() - start }
}

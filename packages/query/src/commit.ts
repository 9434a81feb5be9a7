// The commit phase: once a lookup has found the closest nodes, tell each of them (by
// default: re-send the command with the round-trip token they handed out).

import type { IncomingReply, RequestMessage } from '@dht/io'
import { QueryError } from './errors.js'
import type { QueryHost, QueryRequest } from './host.js'
import { settleAtLeast } from './settle.js'

/** What an auto-commit re-sends. */
export interface CommitRequest {
  readonly target: Uint8Array
  readonly command: string
  readonly value: Uint8Array | null
}

/**
 * A round-trip token is valid for 5 to 10 s after it was handed out (dht-rpc rotates its
 * secrets every 5 s tick in which it handed one out). A lookup that waited on slow or silent
 * nodes may end later than that: a token older than this, ms, is asked for again before the
 * commit, so the commit still arrives, re-sends included, while the token is valid. (A
 * commit with an expired token is taken as a plain request: answered, but not stored.)
 */
export const FRESH_TOKEN_MS = 2500

/**
 * Re-sends the command to `reply.from` with the token of `reply`, or first asks the node for a
 * fresh one when `reply` arrived more than {@link FRESH_TOKEN_MS} ago; resolves with the answer
 * when its status is 0. Each request sits in `inflight` until it settles, so its owner can
 * cancel it.
 */
export async function autoCommit (host: QueryHost, q: CommitRequest, reply: IncomingReply, age: number, inflight: Set<QueryRequest>): Promise<IncomingReply> {
  const { host: to, port } = reply.from
  let token = reply.token
  if (token === null) throw QueryError.NO_TOKEN(to, port)
  if (age > FRESH_TOKEN_MS) {
    token = (await send(host, { to: reply.from, id: host.requestId, token: null, target: q.target, command: q.command, value: q.value }, inflight)).token
    if (token === null) throw QueryError.NO_TOKEN(to, port)
  }
  const res = await send(host, { to: reply.from, id: host.requestId, token, target: q.target, command: q.command, value: q.value }, inflight)
  if (res.status !== 0) throw QueryError.COMMIT_REJECTED(to, port, res.status)
  return res
}

// sends one request (any status resolves), held in `inflight` while it runs
function send (host: QueryHost, m: RequestMessage, inflight: Set<QueryRequest>): Promise<IncomingReply> {
  return new Promise((resolve, reject) => {
    let req: QueryRequest | null = null
    let settled = false
    const done = (): void => {
      settled = true
      if (req !== null) inflight.delete(req)
    }
    req = host.send(m, { expectOk: false }, {
      onreply (res) {
        done()
        resolve(res)
      },
      onerror (err) {
        done()
        reject(err)
      }
    })
    if (!settled) inflight.add(req)
  })
}

/**
 * Calls `commit` for every reply at once. Resolves when one succeeds and the rest have
 * settled, or rejects with a `COMMIT_FAILED` QueryError when all fail. A commit that throws
 * counts as failed; no rejection is left unhandled.
 */
export async function commitAll (replies: readonly IncomingReply[], commit: (reply: IncomingReply) => unknown): Promise<void> {
  const running = replies.map((reply) => {
    try {
      return Promise.resolve(commit(reply))
    } catch (err) {
      return Promise.reject(err)
    }
  })
  try {
    await settleAtLeast(running, 1)
  } catch (err) {
    const cause = (err as Error).cause
    throw QueryError.COMMIT_FAILED(cause instanceof AggregateError ? cause.errors : [err])
  }
}

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
 * Re-sends the command to `reply.from` with the token of `reply`; resolves with the answer
 * when its status is 0. The request sits in `inflight` until it settles, so its owner can
 * cancel it.
 */
export function autoCommit (host: QueryHost, q: CommitRequest, reply: IncomingReply, inflight: Set<QueryRequest>): Promise<IncomingReply> {
  const { host: to, port } = reply.from
  if (reply.token === null) return Promise.reject(QueryError.NO_TOKEN(to, port))
  const m: RequestMessage = { to: reply.from, id: host.requestId, token: reply.token, target: q.target, command: q.command, value: q.value }
  return new Promise((resolve, reject) => {
    let req: QueryRequest | null = null
    let settled = false
    const done = (): void => {
      settled = true
      if (req !== null) inflight.delete(req)
    }
    req = host.send(m, { expectOk: true }, {
      onreply (res) {
        done()
        if (res.status === 0) resolve(res)
        else reject(QueryError.COMMIT_REJECTED(to, port, res.status))
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

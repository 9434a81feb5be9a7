// A node's way into the network: its first lookups, and the step from ephemeral (a random
// id, in no one's table) to persistent (the id of its public address, in other nodes'
// tables), which a node takes at start when asked to, or after a healthy uptime when adaptive.

import { IOError, isIOError } from '@dht/io'
import { NAT_OPEN, NAT_PORT_CONSISTENT } from '@dht/nat'
import { equalIds, id as nodeId } from '@dht/wire'
import type { Peer } from '@dht/wire'
import type { BootstrapNode } from './bootstrap-nodes.js'
import { FIREWALL_CHECK_NODES } from './constants.js'
import { DHTError } from './errors.js'
import { reachable } from './self-address.js'
import type { SelfAddress } from './self-address.js'
import type { NodeState } from './node-state.js'
import type { DHTQuery } from './types.js'

/** What joining needs from its node. */
export interface JoinHost {
  /** The node's table and flags, read as they are now. */
  readonly state: NodeState
  /** The width of a lookup that runs alone. */
  concurrency (): number
  readonly bootstrapNodes: readonly BootstrapNode[]
  readonly selfAddress: SelfAddress
  /** Resolves once the node is not suspended (at once if it is not), or is destroyed. */
  resumed (): Promise<void>
  /** A background find_node lookup of `target`, `width` wide; `onreply` sees each answer. */
  lookup (target: Uint8Array, width: number, onreply?: () => void): DHTQuery<never>
  resolveBootstrapNodes (): Promise<Peer[]>
  /** Asks `nodes` to ping_nat us; rejects unless `min` answer. */
  pingNat (nodes: Peer[], min: number): Promise<unknown>
  /** Takes `id` and joins other nodes' tables. */
  becomePersistent (id: Uint8Array): void
  /** The NAT check failed: the next try waits longer. */
  deferPersistent (): void
  /** The table is bootstrapped: binds, then tells the user. */
  becomeReady (): Promise<void>
  warn (err: Error): void
}

/**
 * Bootstraps the routing table: a lookup of the node's own id through the bootstrap nodes,
 * and for a node that asked to be persistent, the NAT check and a second lookup around its
 * new id. Resolves when the node is ready; rejects with DESTROYED if it is destroyed first.
 */
export async function join (host: JoinHost, forcePersistent: boolean): Promise<void> {
  await Promise.resolve() // let the caller attach listeners first
  const first = await bootstrapLookup(host, forcePersistent)
  if (first.successes === 0 && host.bootstrapNodes.length > 0) {
    host.warn(DHTError.BOOTSTRAP_FAILED(host.bootstrapNodes))
  }
  if (forcePersistent && !host.state.bootstrapped) {
    // a new id needs its own neighbours; a node that stays ephemeral finishes the lookup it cut short
    if (await tryPersistent(host) || first.endedEarly) await bootstrapLookup(host, false)
  }
  if (host.state.destroyed) throw IOError.DESTROYED()
  if (host.state.bootstrapped) return
  await host.becomeReady()
}

/**
 * Goes persistent if the NAT keeps our port the same for every peer and other nodes can
 * reach us unasked; true when the node took its new id.
 */
export async function tryPersistent (host: JoinHost): Promise<boolean> {
  if (!host.state.ephemeral || host.state.destroyed) return false
  // one sample is enough here: the ping_nat check below confirms reachability
  const addr = host.selfAddress.remoteAddress(host.state.ephemeral, 1)
  if ((addr.type !== NAT_PORT_CONSISTENT && addr.type !== NAT_OPEN) || addr.host === null) {
    host.deferPersistent()
    return false
  }
  const recentFirst = [...host.state.table.stalest()].reverse()
  if (!await reachable(recentFirst, () => host.resolveBootstrapNodes(), (nodes, min) => host.pingNat(nodes, min))) return false
  if (!host.state.ephemeral || host.state.destroyed) return false
  // the network may have changed during the check (its samples were reset): not this id then
  const now = host.selfAddress.remoteAddress(true, 1)
  if (now.host !== addr.host || now.port !== addr.port) return false
  const id = nodeId(addr.host, addr.port)
  if (equalIds(host.state.table.id, id)) return false
  host.becomePersistent(id)
  return true
}

// A node that asked to be persistent looks up a random id first, only to learn its address
// and a few nodes: once 3 or more samples agree on its address and it knows enough nodes
// for the ping_nat check, that lookup has done its job and ends there (`endEarly`).
async function bootstrapLookup (host: JoinHost, endEarly: boolean): Promise<{ successes: number, endedEarly: boolean }> {
  // a lookup that ends early asks no more nodes at once than it needs to hear from
  const width = endEarly ? Math.min(host.concurrency(), FIREWALL_CHECK_NODES) : host.concurrency()
  for (;;) {
    let endedEarly = false
    const query = host.lookup(host.state.table.id, width, endEarly
      ? () => {
          if (endedEarly || host.state.table.size < FIREWALL_CHECK_NODES) return
          if (host.selfAddress.analyze().type !== NAT_PORT_CONSISTENT) return
          endedEarly = true
          query.destroy(ENDED_EARLY)
        }
      : undefined)
    const suspended = await query.finished().then(() => false, (err: unknown) => isIOError(err, 'SUSPENDED'))
    if (host.state.destroyed) throw IOError.DESTROYED()
    if (!suspended) return { successes: query.successes, endedEarly }
    // cut short by suspend(): it tells nothing of the bootstrap nodes, and runs again, whole, after the resume
    await host.resumed()
    if (host.state.destroyed) throw IOError.DESTROYED()
  }
}

// ends a bootstrap lookup that has done its job: one error for all, with no stack to capture
const ENDED_EARLY = new Error('The bootstrap lookup ended early')

// Mixed networks of our nodes and dht-rpc@5.0.0-rc.6 nodes in one process, on loopback.
// rc.6 binds every interface (its bind() takes no host); it is reached at 127.0.0.1.
import { once } from 'node:events'
import DHT from '@dht/rpc'
import type { DHTOptions, Peer } from '@dht/rpc'
import { RefDHT } from './reference.js'
import type { RefDHTOptions } from './reference.js'

export const LOOPBACK = '127.0.0.1'

/** Where a node of ours is reached. */
export function peerOf (node: DHT): Peer {
  return { host: LOOPBACK, port: node.address()!.port }
}

/** Where a reference node is reached (it is bound to 0.0.0.0). */
export function refPeerOf (node: RefDHT): Peer {
  return { host: LOOPBACK, port: node.address().port }
}

/** A node of ours on loopback, not yet ready. */
export function createOurs (opts: DHTOptions = {}): DHT {
  return new DHT({ host: LOOPBACK, ...opts })
}

/** A reference node, bound to a random port, not yet ready. */
export async function createRef (opts: RefDHTOptions = {}): Promise<RefDHT> {
  const node = new RefDHT(opts)
  // rc.6 rejects ready() late when destroyed first; a caller that never awaits it must not crash
  node.ready().catch(noop)
  await node.bind(0)
  return node
}

/** Destroys a reference node and waits until its socket is closed. */
export async function destroyRef (node: RefDHT): Promise<void> {
  const socket = node.rpc.socket
  if (node.rpc.destroyed) return
  node.destroy() // removes every listener of the socket, then closes it: 'close' comes on the next tick
  await once(socket, 'close')
}

export type Kind = 'ours' | 'ref'

export interface MixedNetwork {
  /** The bootstrap nodes (ephemeral): ours first when there is one of ours. */
  bootstrap: Peer[]
  ourBootstrap: DHT | null
  refBootstrap: RefDHT | null
  /** Persistent nodes of ours. */
  ours: DHT[]
  /** Persistent reference nodes. */
  refs: RefDHT[]
  /** Every persistent node as { kind, id, peer }. */
  all (): Array<{ kind: Kind, id: Uint8Array, peer: Peer }>
  /** Warnings of every node so far: datagrams that failed to decode, socket errors. */
  warnings: Array<{ kind: Kind, err: Error }>
  destroy (): Promise<void>
}

export interface MixedNetworkOptions {
  ours: number
  refs: number
  /** Which implementation runs the bootstrap node(s). @default 'both' */
  bootstrap?: Kind | 'both'
  /** Nodes joining at once. @default 8 */
  parallel?: number
}

/**
 * Starts the bootstrap node(s), then joins `ours` persistent nodes of ours and `refs` reference
 * nodes (ephemeral: false), alternating kinds, `parallel` at a time. Resolves once every
 * node is ready; on failure destroys what it started.
 */
export async function createMixedNetwork (opts: MixedNetworkOptions): Promise<MixedNetwork> {
  const kind = opts.bootstrap ?? 'both'
  const parallel = opts.parallel ?? 8
  const ours: DHT[] = []
  const refs: RefDHT[] = []
  let ourBootstrap: DHT | null = null
  let refBootstrap: RefDHT | null = null
  const bootstrap: Peer[] = []
  const warnings: Array<{ kind: Kind, err: Error }> = []
  const ourWarning = (err: Error): void => { warnings.push({ kind: 'ours', err }) }
  const refWarning = (err: Error): void => { warnings.push({ kind: 'ref', err }) }

  const net: MixedNetwork = {
    bootstrap,
    get ourBootstrap () { return ourBootstrap },
    get refBootstrap () { return refBootstrap },
    ours,
    refs,
    all: () => [
      ...ours.map((n) => ({ kind: 'ours' as const, id: n.id!, peer: peerOf(n) })),
      ...refs.map((n) => ({ kind: 'ref' as const, id: n.id!, peer: refPeerOf(n) }))
    ],
    warnings,
    destroy: async () => {
      await Promise.all([
        ...[...ours, ...(ourBootstrap !== null ? [ourBootstrap] : [])].map((n) => n.destroy()),
        ...[...refs, ...(refBootstrap !== null ? [refBootstrap] : [])].map((n) => destroyRef(n))
      ])
    }
  }

  try {
    if (kind !== 'ref') {
      ourBootstrap = createOurs({ ephemeral: true, bootstrap: false })
      ourBootstrap.on('warning', ourWarning)
      bootstrap.push({ host: LOOPBACK, port: await ourBootstrap.bind() })
    }
    if (kind !== 'ours') {
      refBootstrap = await createRef({ ephemeral: true, bootstrap: false, onwarning: refWarning })
      bootstrap.push(refPeerOf(refBootstrap))
    }
    const order: Kind[] = []
    for (let i = 0; i < Math.max(opts.ours, opts.refs); i++) {
      if (i < opts.ours) order.push('ours')
      if (i < opts.refs) order.push('ref')
    }
    for (let i = 0; i < order.length; i += parallel) {
      await Promise.all(order.slice(i, i + parallel).map(async (k) => {
        if (k === 'ours') {
          const node = createOurs({ ephemeral: false, bootstrap })
          node.on('warning', ourWarning)
          ours.push(node)
          await node.ready()
        } else {
          const node = await createRef({ ephemeral: false, bootstrap, onwarning: refWarning })
          refs.push(node)
          await node.ready()
        }
      }))
    }
  } catch (err) {
    await net.destroy()
    throw err
  }
  return net
}

/** A lowercase hex string of bytes, for comparing ids in sets and messages. */
export function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

function noop (): void {}

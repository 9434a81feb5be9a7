/**
 * @packageDocumentation
 * A local DHT for your tests: a bootstrap node and `size` persistent nodes on loopback.
 *
 * @example
 * ```ts
 * import { createTestnet } from '@dht/rpc/testnet'
 *
 * const testnet = await createTestnet(20)
 * const [a, b] = testnet.nodes
 * // ... use them, or testnet.createNode() for one more
 * await testnet.destroy()
 * ```
 */
import { DHT } from './dht.js'
import type { DHTOptions } from './types.js'
import { Intern } from '@dht/wire'
import type { Peer } from '@dht/wire'
import { sharedNetworkInterfaces } from './network-change.js'
import { assertCount } from './validate.js'

/** The options of {@link createTestnet}, all optional. */
export interface TestnetOptions {
  /** The loopback address every node binds and is reached at. @default '127.0.0.1' */
  host?: string
  /** The bootstrap node's port. @default a random free port */
  port?: number
  /**
   * Options for every node (bootstrap and host are set by the testnet). Unless they give an
   * `intern`, the nodes share one, sized for the `size` nodes and the bootstrap node; unless
   * they give `networkInterfaces`, they share one reading of the interfaces a second
   * ({@link sharedNetworkInterfaces}).
   */
  node?: Omit<DHTOptions, 'bootstrap'>
  /** Nodes joining at once; 1 joins them one after another. @default 8 */
  parallel?: number
}

/** A local network: a bootstrap node and persistent nodes on one loopback address. */
export interface Testnet {
  /** Where the bootstrap node listens: pass it as `bootstrap` to your own nodes. */
  bootstrap: Peer[]
  /** The bootstrap node (ephemeral) followed by the persistent nodes. */
  nodes: DHT[]
  /** Joins one more persistent node (or one with your options) and adds it to `nodes`. */
  createNode (opts?: Omit<DHTOptions, 'bootstrap'>): Promise<DHT>
  /** Destroys every node, newest first. */
  destroy (): Promise<void>
}

/** Starts a bootstrap node and `size` persistent nodes joined through it; resolves once all are ready. */
export async function createTestnet (size = 10, opts: TestnetOptions = {}): Promise<Testnet> {
  assertCount(size, 'size')
  const host = opts.host ?? '127.0.0.1'
  const parallel = opts.parallel ?? 8
  const nodes: DHT[] = []
  const shared = {
    intern: opts.node?.intern ?? new Intern({ nodes: size + 1 }),
    networkInterfaces: opts.node?.networkInterfaces ?? sharedNetworkInterfaces()
  }

  const first = new DHT({ ...shared, ...opts.node, ephemeral: true, bootstrap: false, host, bind: opts.port ?? 0 })
  nodes.push(first)
  const port = await first.bind()
  const bootstrap = [{ host, port }]

  const createNode = async (nodeOpts: Omit<DHTOptions, 'bootstrap'> = {}): Promise<DHT> => {
    const node = new DHT({ ephemeral: false, ...shared, ...opts.node, ...nodeOpts, host, bootstrap })
    nodes.push(node)
    await node.ready()
    return node
  }

  const testnet: Testnet = {
    bootstrap,
    nodes,
    createNode,
    destroy: async () => {
      for (let i = nodes.length - 1; i >= 0; i--) await nodes[i]!.destroy()
    }
  }

  try {
    for (let joined = 0; joined < size; joined += parallel) {
      const batch = Math.min(parallel, size - joined)
      await Promise.all(Array.from({ length: batch }, () => createNode()))
    }
  } catch (err) {
    await testnet.destroy()
    throw err
  }
  return testnet
}

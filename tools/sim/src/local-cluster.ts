// Every node on this thread, on one clock.

import { addressKey } from './cluster.js'
import type { Cluster, DeadCount, LookupOutcome, NodeInfo } from './cluster.js'
import { GcTime } from './gc-time.js'
import { SimulatedNetwork } from './network.js'
import type { SimNode, SimOptions } from './network.js'
import { watchLookup } from './node-lookup.js'

export class LocalCluster implements Cluster {
  readonly sim: SimulatedNetwork
  readonly #gc = new GcTime()

  /** `nodes`: how many nodes it will run. */
  constructor (opts: SimOptions, nodes: number) {
    this.sim = new SimulatedNetwork(opts, nodes)
  }

  get nodes (): readonly NodeInfo[] {
    return this.sim.nodes.map(info)
  }

  now (): number {
    return this.sim.clock.now()
  }

  datagramsSent (): number {
    return this.sim.net.stats.sent
  }

  async start (): Promise<void> {
    await this.sim.start()
  }

  async join (count: number): Promise<void> {
    await this.sim.join(count)
  }

  async tableSizes (): Promise<number[]> {
    return this.sim.nodes.map((node) => node.dht.table.size)
  }

  async lookups (pairs: ReadonlyArray<readonly [from: number, target: number]>): Promise<LookupOutcome[]> {
    const nodes = this.sim.nodes
    const all = Promise.all(pairs.map(([from, target]) => {
      const to = nodes[target]!
      return watchLookup(nodes[from]!.dht, { id: to.id, ...to.peer }, this.sim.clock)
    }))
    return await this.sim.clock.runUntil(all, 10 * 60_000)
  }

  async kill (indices: readonly number[]): Promise<void> {
    await Promise.all(indices.map((i) => this.sim.kill(this.sim.nodes[i]!)))
  }

  async deadEntries (indices: readonly number[]): Promise<DeadCount> {
    const dead = new Set(this.sim.nodes.filter((node) => !node.alive).map((node) => addressKey(node.peer.host, node.peer.port)))
    return countDead(indices.map((i) => this.sim.nodes[i]!), dead)
  }

  async run (ms: number): Promise<void> {
    await this.sim.clock.run(ms)
  }

  async heapUsed (collect: boolean): Promise<number> {
    if (collect) collectGarbage()
    return process.memoryUsage().heapUsed
  }

  async gcMs (): Promise<number> {
    return this.#gc.ms
  }

  async destroy (): Promise<void> {
    this.#gc.stop()
    await this.sim.destroy()
  }
}

export function countDead (nodes: readonly SimNode[], dead: ReadonlySet<string>): DeadCount {
  let entries = 0
  let deadCount = 0
  for (const node of nodes) {
    for (const entry of node.dht.table.toArray()) {
      entries++
      if (dead.has(addressKey(entry.host, entry.port))) deadCount++
    }
  }
  return { entries, dead: deadCount }
}

/**
 * A full GC, or with 'minor' a scavenge of the young generation, when the GC is exposed.
 * (Node 20's gc({ type: 'major' }) scavenges: only a bare gc() collects everything.)
 */
export function collectGarbage (type: 'major' | 'minor' = 'major'): void {
  const gc = exposedGc()
  if (gc === undefined) return
  if (type === 'minor') gc({ type })
  else gc()
}

/** Whether {@link collectGarbage} collects anything (node runs with --expose-gc). */
export function canCollectGarbage (): boolean {
  return exposedGc() !== undefined
}

function exposedGc (): ((options?: { type: 'minor' }) => void) | undefined {
  return (globalThis as { gc?: (options?: { type: 'minor' }) => void }).gc
}

function info (node: SimNode): NodeInfo {
  return { host: node.peer.host, port: node.peer.port, id: node.id, alive: node.alive }
}

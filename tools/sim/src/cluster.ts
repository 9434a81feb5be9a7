// What a simulation needs from the network it runs on, whether one thread holds every node
// (LocalCluster) or several threads each hold a partition (PartitionedCluster).

/** A node as the simulation tracks it: its address and routing id once it has joined. */
export interface NodeInfo {
  host: string
  port: number
  /** Its routing id once persistent (all zeros before). */
  id: Uint8Array
  alive: boolean
}

/** One find_node lookup, measured from outside the node. */
export interface LookupOutcome {
  /** Referrals from the querying node's table to the target's reply (0 when it never replied). */
  hops: number
  requests: number
  /** Simulated ms from start until the target's own reply, or null. */
  targetAt: number | null
  /** Simulated ms from start until the lookup ended. */
  finishedAt: number
  /** The ids of the lookup's closest replies, nearest first. */
  closest: Uint8Array[]
}

/** Table entries of some nodes, and how many of them point to dead nodes. */
export interface DeadCount {
  entries: number
  dead: number
}

export interface Cluster {
  /** Every node started, in the order started (index 0 is the bootstrap node). */
  readonly nodes: readonly NodeInfo[]
  /** The simulated time, ms. */
  now (): number
  /** Datagrams handed to the network so far. */
  datagramsSent (): number
  /** Starts the bootstrap node: persistent from the start, knowing nobody. */
  start (): Promise<void>
  /** Starts `count` persistent nodes at once and runs the network until they have all joined. */
  join (count: number): Promise<void>
  /** The routing table size of every node, by index. */
  tableSizes (): Promise<number[]>
  /**
   * Starts a find_node lookup from node `from` for the id of node `target` for each pair, all
   * at once, and runs the network until every one has ended; the outcomes are in pair order.
   */
  lookups (pairs: ReadonlyArray<readonly [from: number, target: number]>): Promise<LookupOutcome[]>
  /** Destroys these nodes: their sockets close, and they answer nothing from now on. */
  kill (indices: readonly number[]): Promise<void>
  /** The table entries of these (live) nodes, and how many point to dead nodes. */
  deadEntries (indices: readonly number[]): Promise<DeadCount>
  /** Lets `ms` of simulated time pass. */
  run (ms: number): Promise<void>
  /** The JS heap in use by the nodes' threads; with `collect`, after a full GC when exposed. */
  heapUsed (collect: boolean): Promise<number>
  /** Milliseconds of GC pauses on the nodes' threads since the cluster was made. */
  gcMs (): Promise<number>
  destroy (): Promise<void>
}

/** The indices of the nodes still alive, in order. */
export function liveIndices (cluster: Cluster): number[] {
  const nodes = cluster.nodes
  return nodes.map((_, i) => i).filter((i) => nodes[i]!.alive)
}

/** `${host}:${port}`: how a dead node is recognised in tables. */
export function addressKey (host: string, port: number): string {
  return `${host}:${port}`
}

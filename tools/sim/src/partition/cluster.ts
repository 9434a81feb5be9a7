// A simulated network split over worker threads, one partition each. The threads run in
// steps no longer than the least one-way delay (the lookahead): nothing sent during a step
// can arrive before it ends, so between steps the coordinator hands each partition the
// datagrams the others sent it, in partition order, and every run of the same seed with the
// same number of threads is the same, event for event.

import { Worker } from 'node:worker_threads'
import { addressKey } from '../cluster.js'
import type { Cluster, DeadCount, LookupOutcome, NodeInfo } from '../cluster.js'
import type { SimOptions } from '../network.js'
import type { DatagramBatch } from './datagrams.js'
import type { Command, CommandResults, PartitionData, PartitionReport, Reply } from './protocol.js'

// shared by the partitions: a 6 GiB old generation, as one thread has it (see main.ts). The
// young generation is not limited here: V8 sizes each worker's by the process's
// --max-semi-space-size (measured: a worker's new space is twice the semi-space whatever
// maxYoungGenerationSizeMb says), which main.ts sets by the number of workers
const OLD_SPACE_MB = 6144

// A partition's scavenge stops it for a long while in a large network, and the others wait for
// it at the end of their step. So once one partition's young generation is this full (V8
// schedules a scavenge of its own at about 80%), every partition scavenges before the next
// step, together: their pauses overlap rather than add up
const SCAVENGE_TOGETHER_AT = 0.7

interface Placement {
  worker: number
  local: number
}

export class PartitionedCluster implements Cluster {
  readonly nodes: NodeInfo[] = []
  readonly #links: PartitionLink[]
  readonly #lookahead: number
  readonly #where: Placement[] = []
  readonly #counts: number[]
  readonly #inbound: DatagramBatch[][]
  readonly #nextAt: Array<number | null>
  readonly #sent: number[]
  readonly #youngFill: number[]
  readonly #lookups = new Map<number, LookupOutcome>()
  #time = 0
  #joining = 0
  #token = 0

  private constructor (links: PartitionLink[], lookahead: number) {
    this.#links = links
    this.#lookahead = lookahead
    this.#counts = links.map(() => 0)
    this.#inbound = links.map(() => [])
    this.#nextAt = links.map(() => null)
    this.#sent = links.map(() => 0)
    this.#youngFill = links.map(() => 0)
  }

  /** Starts `count` worker threads, each holding one partition of a network of `nodes`. */
  static async create (opts: SimOptions, nodes: number, count: number): Promise<PartitionedCluster> {
    if (!Number.isInteger(count) || count < 2) throw new RangeError(`a partitioned cluster needs 2 or more workers, got ${count}`)
    const links = Array.from({ length: count }, (_, index) => new PartitionLink({
      options: { seed: opts.seed, latency: opts.latency, loss: opts.loss },
      partition: { index, count, placementSeed: opts.seed },
      nodes: Math.ceil(nodes / count) // node i lives on partition i mod count
    }, count))
    try {
      const lookaheads = await Promise.all(links.map(async (link) => (await link.call({ op: 'lookahead' })).value as number))
      return new PartitionedCluster(links, Math.min(...lookaheads))
    } catch (err) {
      await Promise.all(links.map((link) => link.close())) // a live worker would keep the process running
      throw err
    }
  }

  now (): number {
    return this.#time
  }

  datagramsSent (): number {
    return this.#sent.reduce((a, b) => a + b, 0)
  }

  async start (): Promise<void> {
    this.#place(1)
    this.#joining = 1
    this.#absorb(0, await this.#links[0]!.call({ op: 'bootstrap' }))
    await this.#runUntil(() => this.#joining === 0, 60_000)
  }

  async join (count: number): Promise<void> {
    const before = this.#counts.slice()
    this.#place(count)
    this.#joining += count
    const bootstrap = [{ host: this.nodes[0]!.host, port: this.nodes[0]!.port }]
    await this.#all((w) => ({ op: 'join', count: this.#counts[w]! - before[w]!, bootstrap }))
    await this.#runUntil(() => this.#joining === 0, 10 * 60_000)
  }

  async tableSizes (): Promise<number[]> {
    const sizes = await this.#all(() => ({ op: 'table-sizes' }))
    return this.#where.map(({ worker, local }) => sizes[worker]![local]!)
  }

  async lookups (pairs: ReadonlyArray<readonly [from: number, target: number]>): Promise<LookupOutcome[]> {
    const tokens: number[] = []
    for (const [from, target] of pairs) {
      const token = ++this.#token
      tokens.push(token)
      const { worker, local } = this.#where[from]!
      const { id, host, port } = this.nodes[target]!
      // no step runs between these calls: every lookup starts at the same simulated time
      this.#absorb(worker, await this.#links[worker]!.call({ op: 'lookup', token, from: local, target: { id, host, port } }))
    }
    await this.#runUntil(() => tokens.every((token) => this.#lookups.has(token)), 10 * 60_000)
    return tokens.map((token) => {
      const outcome = this.#lookups.get(token)!
      this.#lookups.delete(token)
      return outcome
    })
  }

  async kill (indices: readonly number[]): Promise<void> {
    for (const i of indices) this.nodes[i]!.alive = false
    await this.#all((w) => ({ op: 'kill', locals: this.#localsOf(indices, w) }))
  }

  async deadEntries (indices: readonly number[]): Promise<DeadCount> {
    const dead = this.nodes.filter((node) => !node.alive).map((node) => addressKey(node.host, node.port))
    const counts = await this.#all((w) => ({ op: 'dead-entries', locals: this.#localsOf(indices, w), dead }))
    return counts.reduce((a, b) => ({ entries: a.entries + b.entries, dead: a.dead + b.dead }), { entries: 0, dead: 0 })
  }

  async run (ms: number): Promise<void> {
    const end = this.#time + ms
    for (;;) {
      const start = this.#nextStart()
      if (start === null || start >= end) break
      await this.#step(Math.min(start + this.#lookahead, end))
    }
    await this.#step(end)
  }

  async heapUsed (collect: boolean): Promise<number> {
    return (await this.#all(() => ({ op: 'heap', collect }))).reduce((a, b) => a + b, 0)
  }

  async gcMs (): Promise<number> {
    return (await this.#all(() => ({ op: 'gc-ms' }))).reduce((a, b) => a + b, 0)
  }

  async destroy (): Promise<void> {
    try {
      await this.#all(() => ({ op: 'destroy' }))
    } finally {
      await Promise.all(this.#links.map((link) => link.close()))
    }
  }

  // gives the next `count` nodes their partitions: node i lives on partition i mod count
  #place (count: number): void {
    for (let i = 0; i < count; i++) {
      const worker = this.nodes.length % this.#links.length
      this.#where.push({ worker, local: this.#counts[worker]!++ })
      this.nodes.push({ host: '', port: 0, id: new Uint8Array(32), alive: true })
    }
  }

  #localsOf (indices: readonly number[], worker: number): number[] {
    const out: number[] = []
    for (const i of indices) if (this.#where[i]!.worker === worker) out.push(this.#where[i]!.local)
    return out
  }

  async #runUntil (done: () => boolean, limit: number): Promise<void> {
    const until = this.#time + limit
    while (!done()) {
      const start = this.#nextStart()
      if (start === null) throw new Error(`nothing left to run at ${this.#time} ms, and the simulation waits for more`)
      if (start > until) throw new Error(`still waiting after ${limit} ms of simulated time`)
      await this.#step(start + this.#lookahead)
    }
  }

  // the earliest timer or datagram any partition has waiting
  #nextStart (): number | null {
    let start: number | null = null
    for (const at of this.#nextAt) if (at !== null && (start === null || at < start)) start = at
    for (const list of this.#inbound) for (const batch of list) if (start === null || batch.firstAt < start) start = batch.firstAt
    return start
  }

  async #step (end: number): Promise<void> {
    const inbound = this.#inbound.map((list, w) => {
      this.#inbound[w] = []
      return list
    })
    const collectYoung = Math.max(...this.#youngFill) >= SCAVENGE_TOGETHER_AT
    await this.#all((w) => ({ op: 'step', end, inbound: inbound[w]!, collectYoung }))
    this.#time = end
  }

  // sends each partition its command, and takes in their reports in partition order
  async #all<C extends Command> (command: (worker: number) => C): Promise<Array<CommandResults[C['op']]>> {
    const replies = await Promise.all(this.#links.map((link, w) => link.call(command(w))))
    return replies.map((reply, w) => {
      this.#absorb(w, reply)
      return reply.value as CommandResults[C['op']]
    })
  }

  #absorb (worker: number, reply: Reply): void {
    const report: PartitionReport = reply.report
    if (reply.error !== undefined) throw new Error(`partition ${worker}: ${reply.error}`)
    if (report.failures.length > 0) throw new Error(`partition ${worker}: ${report.failures.join('; ')}`)
    this.#nextAt[worker] = report.nextAt
    this.#sent[worker] = report.sent
    this.#youngFill[worker] = report.youngFill
    report.outbound.forEach((batch, to) => { if (batch !== null) this.#inbound[to]!.push(batch) })
    for (const joined of report.joined) {
      const node = this.nodes[this.#globalOf(worker, joined.local)]!
      node.host = joined.host
      node.port = joined.port
      node.id = joined.id
      this.#joining--
    }
    for (const { token, outcome } of report.lookups) this.#lookups.set(token, outcome)
  }

  // node i lives on partition i mod count, as its (i div count)-th node
  #globalOf (worker: number, local: number): number {
    return local * this.#links.length + worker
  }
}

// The worker thread of one partition, and its replies in order.
class PartitionLink {
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve: (reply: Reply) => void, reject: (err: Error) => void }>()
  #seq = 0
  #failure: Error | null = null

  constructor (data: PartitionData, count: number) {
    this.#worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: Math.floor(OLD_SPACE_MB / count) }
    })
    this.#worker.on('message', (reply: Reply) => {
      const pending = this.#pending.get(reply.seq)
      this.#pending.delete(reply.seq)
      pending?.resolve(reply)
    })
    this.#worker.on('error', (err) => this.#fail(err))
    this.#worker.on('exit', (code) => this.#fail(new Error(`partition ${data.partition.index}'s worker exited with ${code}`)))
  }

  call (command: Command): Promise<Reply> {
    if (this.#failure !== null) return Promise.reject(this.#failure)
    const seq = ++this.#seq
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject })
      this.#worker.postMessage({ seq, command }, command.op === 'step' ? command.inbound.map((batch) => batch.bytes.buffer) : [])
    })
  }

  async close (): Promise<void> {
    this.#failure ??= new Error('closed')
    await this.#worker.terminate()
  }

  #fail (err: Error): void {
    this.#failure ??= err
    for (const { reject } of this.#pending.values()) reject(err)
    this.#pending.clear()
  }
}

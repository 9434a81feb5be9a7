// A worker thread holding one partition of a simulated network: its nodes, its share of the
// addresses and its clock, which moves only when the coordinator says how far.

import { getHeapSpaceStatistics } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import { ownerOf } from '@dht/sim'
import type { RemoteDatagram } from '@dht/sim'
import { GcTime } from '../gc-time.js'
import { canCollectGarbage, collectGarbage, countDead } from '../local-cluster.js'
import { SimulatedNetwork } from '../network.js'
import type { SimNode } from '../network.js'
import { watchLookup } from '../node-lookup.js'
import { pack, unpack } from './datagrams.js'
import type { DatagramBatch } from './datagrams.js'
import type { Command, PartitionData, PartitionReport, Reply } from './protocol.js'

// Every datagram a node sends is cut from Node's buffer pool, and making a new pool every
// 8 KiB (the default) showed in the profile of a large run. This thread runs only simulated
// nodes: pools of 64 KiB are made an eighth as often, and the few that kept replies pin cost
// little.
Buffer.poolSize = 64 * 1024

const { options, partition, nodes } = workerData as PartitionData
const sim = new SimulatedNetwork(options, nodes, partition)
const gc = new GcTime()
let report = emptyReport()

parentPort!.on('message', (message: { seq: number, command: Command }) => {
  // the report waits for what the command set off (promise callbacks, sends), so that
  // nothing happens in this partition between a reply and the next command
  handle(message.command).then(async (value) => {
    if (message.command.op !== 'step') await settle() // a step ends settled (runBefore)
    reply({ seq: message.seq, report: take(), value })
  }, async (err: unknown) => {
    await settle()
    reply({ seq: message.seq, report: take(), error: err instanceof Error ? err.stack ?? err.message : String(err) })
  })
})

function settle (): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

async function handle (command: Command): Promise<unknown> {
  switch (command.op) {
    case 'lookahead':
      return sim.net.lookahead
    case 'bootstrap':
      watchJoin(sim.nodes.length, sim.addBootstrap())
      return null
    case 'join': {
      const first = sim.nodes.length
      sim.addNodes(command.count, command.bootstrap).forEach((joining, i) => watchJoin(first + i, joining))
      return null
    }
    case 'step':
      if (command.collectYoung) collectGarbage('minor')
      for (const batch of command.inbound) sim.net.receiveRemote(unpack(batch))
      await sim.clock.runBefore(command.end)
      return null
    case 'lookup': {
      const { token } = command
      watchLookup(node(command.from).dht, command.target, sim.clock).then(
        (outcome) => report.lookups.push({ token, outcome }),
        (err: unknown) => report.failures.push(`lookup ${token}: ${String(err)}`)
      )
      return null
    }
    case 'kill':
      await Promise.all(command.locals.map((i) => sim.kill(node(i))))
      return null
    case 'dead-entries':
      return countDead(command.locals.map(node), new Set(command.dead))
    case 'table-sizes':
      return sim.nodes.map((n) => n.dht.table.size)
    case 'heap':
      if (command.collect) collectGarbage()
      return process.memoryUsage().heapUsed
    case 'gc-ms':
      return gc.ms
    case 'destroy':
      gc.stop()
      await sim.destroy()
      return null
  }
}

function watchJoin (local: number, joining: Promise<SimNode>): void {
  joining.then(
    (n) => report.joined.push({ local, host: n.peer.host, port: n.peer.port, id: n.id }),
    (err: unknown) => report.failures.push(`join of node ${local}: ${String(err)}`)
  )
}

function node (local: number): SimNode {
  const n = sim.nodes[local]
  if (n === undefined) throw new RangeError(`partition ${partition.index} has no node ${local}`)
  return n
}

function take (): PartitionReport {
  const out = report
  out.nextAt = sim.clock.nextAt()
  out.outbound = packByPartition(sim.net.takeOutbound())
  out.sent = sim.net.stats.sent
  // the fill only decides a scavenge on request, which needs the exposed GC
  out.youngFill = canCollectGarbage() ? youngFill() : 0
  report = emptyReport()
  return out
}

function emptyReport (): PartitionReport {
  return { nextAt: null, outbound: [], sent: 0, youngFill: 0, joined: [], lookups: [], failures: [] }
}

function packByPartition (datagrams: readonly RemoteDatagram[]): Array<DatagramBatch | null> {
  const by: RemoteDatagram[][] = Array.from({ length: partition.count }, () => [])
  for (const d of datagrams) by[ownerOf(d.toAddress, partition.count)]!.push(d)
  return by.map((list) => list.length === 0 ? null : pack(list))
}

// the share of the young generation's current capacity in use
function youngFill (): number {
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space') return space.space_used_size / (space.space_used_size + space.space_available_size)
  }
  return 0
}

function reply (message: Reply): void {
  const transfer = message.report.outbound.flatMap((batch) => batch === null ? [] : [batch.bytes.buffer])
  parentPort!.postMessage(message, transfer)
}

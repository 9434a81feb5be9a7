// dht-rpc node: a node that joins through --bootstrap (and the nodes saved in --state) and
// runs until stopped, showing its state live and logging the nodes that join and leave its
// routing table, and its warnings on stderr.
import { performance } from 'node:perf_hooks'
import type { DHT } from '../dht.js'
import type { DHTHealth } from '../health.js'
import { CommandError, UsageError, expectPositionals, parseBootstrapList, parseCommandLine, parseHost, parseListenAddress, parsePort } from './args.js'
import type { Command } from './command.js'
import { address, hex, natName, oneLine, plural, shortHex } from './output.js'
import { METRICS_PATH } from './metric-names.js'
import { bindExactly, startNode } from './start.js'
import { readState } from './state-file.js'
import { SAVE_EVERY_MS, StateSaver } from './state-saver.js'
import { StatusBlock } from './tty.js'
import { Warnings } from './warnings.js'

const REDRAW_MS = 1000 // the status block on a terminal
const LINE_MS = 5000 // a status line in a log: often enough to follow, rare enough to read
// The saved nodes a start joins through: fewer than the routing table's k (20). The first
// lookup starts from the table's k closest nodes and adds the bootstrap nodes at once only
// when the table has fewer; with k saved nodes, all gone after a long stop, it would ask the
// bootstrap nodes only after every saved node timed out. The lookup refills the table from
// the nodes that answer.
const SAVED_AT_START = 19

export const node: Command = {
  name: 'node',
  summary: 'run a DHT node and watch its state live',
  help: `Usage: dht-rpc node --bootstrap host:port [--state FILE] [--port P] [--host H] [--ephemeral | --persistent] [--metrics HOST:PORT]

Runs a node until Ctrl-C (SIGINT) or SIGTERM, then exits 0. It shows its id, whether it is
ephemeral or persistent, its NAT type and public address, its routing table size, the
requests it receives and sends per second and its health (online, degraded or offline):
a status block redrawn on a terminal, a line every ${LINE_MS / 1000} s otherwise. Nodes joining
and leaving its routing table and changes of health are logged, and its warnings
(bootstrap nodes that do not answer, say) go to stderr.

Options:
  --bootstrap host:port  a bootstrap node (repeat, or separate with commas, for more)
  --state FILE           keep the routing table in FILE: saved when ready, every
                         ${SAVE_EVERY_MS / 60_000} minutes and on exit; at start the node joins through the
                         nodes saved there as well as the bootstrap nodes, so it
                         restarts even when every bootstrap node is down. No FILE
                         yet: a fresh start. A FILE that cannot be read: exit 2
  --port P               UDP port to listen on; 0 picks a free one (default 0)
  --host H               address to bind (default 0.0.0.0)
  --ephemeral            never join other nodes' routing tables
  --persistent           join them as soon as the NAT allows
                         (neither: adaptive, persistent after ~20-30 min on an open NAT)
  --metrics HOST:PORT    serve the node's stats and health over HTTP at
                         http://HOST:PORT${METRICS_PATH}, in Prometheus' text format
                         (port 0: any free port; the address is logged). Read it
                         with dht-rpc status HOST:PORT
  -h, --help             show this help

Example:
  dht-rpc node --bootstrap 127.0.0.1:10001 --persistent --port 49737 --state node.json`,

  async run (argv, session) {
    const { values, positionals } = parseCommandLine({
      args: argv,
      options: {
        bootstrap: { type: 'string', multiple: true },
        state: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        ephemeral: { type: 'boolean' },
        persistent: { type: 'boolean' },
        metrics: { type: 'string' }
      },
      allowPositionals: true,
      strict: true
    })
    expectPositionals(positionals, [])
    const bootstrap = parseBootstrapList(values.bootstrap)
    const port = values.port !== undefined ? parsePort(values.port, '--port') : 0
    const host = values.host !== undefined ? parseHost(values.host, '--host') : '0.0.0.0'
    if (values.ephemeral === true && values.persistent === true) throw new UsageError('--ephemeral and --persistent exclude each other')
    const ephemeral = values.ephemeral === true ? { ephemeral: true } : values.persistent === true ? { ephemeral: false } : {}
    const metrics = values.metrics !== undefined ? parseListenAddress(values.metrics, '--metrics') : null
    const mode = values.ephemeral === true ? 'ephemeral' : values.persistent === true ? 'persistent once joined' : 'adaptive'

    const file = values.state
    if (file === '') throw new UsageError('bad --state "": expected a file name')
    // read before anything starts: a file that cannot be read fails the command (exit 2)
    const state = file !== undefined ? await readState(file) : null

    const block = new StatusBlock()
    const warnings = new Warnings((line) => block.log(`${timestamp()} ${line}`, process.stderr))
    const saved = state !== null ? state.nodes.slice(0, SAVED_AT_START) : []
    const dht = startNode(session, { bootstrap, host, bind: port, ...ephemeral, nodes: saved }, warnings)
    const bound = await bindExactly(dht, port)
    const view = new NodeView(dht, block)
    session.defer(() => view.stop())
    if (file !== undefined && state === null) block.log(`${timestamp()} state: no file at ${file} yet: a fresh start through the bootstrap nodes`, process.stderr)
    if (file !== undefined && state !== null) view.log(`state: ${plural(state.nodes.length, 'node')} from ${file} (saved ${state.savedAt.toISOString()})`)
    const saver = file !== undefined ? stateSaver(file, dht, view, warnings) : null
    if (saver !== null) session.defer(() => saver.stop()) // runs before the view stops and the node is destroyed
    const andSaved = state !== null ? ` and ${plural(saved.length, 'saved node')}` : ''
    view.log(`node listening on ${host}:${bound} (${mode}), joining through ${bootstrap.map(address).join(', ')}${andSaved}`)
    if (metrics !== null) {
      const { serveMetrics } = await import('./metrics.js')
      const served = await serveMetrics(dht, metrics.host, metrics.port).catch((err: NodeJS.ErrnoException) => {
        throw new CommandError(err.code === 'EADDRINUSE' ? `--metrics: port ${metrics.port} is in use` : `--metrics: ${oneLine(err)}`)
      })
      session.defer(() => served.close())
      view.log(`metrics at http://${metrics.host}:${served.port}${METRICS_PATH}`)
    }
    dht.on('add-node', (entry) => view.log(`+ ${address(entry)} joined the routing table (${plural(dht.table.size, 'node')})`))
    dht.on('remove-node', (entry) => view.log(`- ${address(entry)} left the routing table (${plural(dht.table.size, 'node')})`))
    dht.on('persistent', () => view.log(`now persistent, id ${hex(dht.table.id)}`))
    dht.on('ephemeral', () => view.log('now ephemeral again'))
    dht.on('wake-up', () => view.log('woke up from sleep: ephemeral until the network is checked again'))
    dht.on('health', (health, previous) => view.log(`health: ${health} (was ${previous})`))

    await dht.ready()
    view.log(`ready: joined the DHT, ${plural(dht.table.size, 'node')} in the routing table`)
    view.start()
    if (saver !== null) {
      await saver.save() // a crash before the first periodic save still leaves a file
      saver.start()
    }
    await session.stopped
    return 0
  }
}

/** '[14:03:27] ', the time a log line was written. */
function timestamp (): string {
  return `[${new Date().toTimeString().slice(0, 8)}]`
}

/** Saves the table of `dht` to `file`, logging each save and warning of failed ones. */
function stateSaver (file: string, dht: DHT, view: NodeView, warnings: Warnings): StateSaver {
  return new StateSaver({
    file,
    nodes: () => dht.toArray(),
    onsave: (count) => view.log(count > 0 ? `state: saved ${plural(count, 'node')} to ${file}` : `state: not saved, the routing table is empty`),
    onerror: (err) => warnings.add(new Error(`could not save the routing table to ${file}: ${oneLine(err)}`))
  })
}

function modeOf (dht: DHT): string {
  return (dht.ephemeral ? 'ephemeral' : 'persistent') + (dht.adaptive ? ', adaptive' : '')
}

/** The live state of a node: a status block on a terminal, a line every few seconds otherwise. */
class NodeView {
  private readonly dht: DHT
  private readonly block: StatusBlock
  private timer: NodeJS.Timeout | null = null
  private last: { at: number, in: number, out: number }

  constructor (dht: DHT, block: StatusBlock) {
    this.dht = dht
    this.block = block
    this.last = { at: performance.now(), in: dht.io.stats.requestsReceived, out: dht.io.stats.requestsSent }
  }

  log (line: string): void {
    this.block.log(`${timestamp()} ${line}`)
  }

  start (): void {
    const show = (): void => {
      const state = this.sample()
      if (this.block.tty) this.block.render(this.lines(state))
      else this.log(this.line(state))
    }
    show()
    this.timer = setInterval(show, this.block.tty ? REDRAW_MS : LINE_MS)
  }

  stop (): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    this.block.close()
  }

  private sample (): State {
    const now = performance.now()
    const { requestsReceived, requestsSent } = this.dht.io.stats
    const seconds = Math.max((now - this.last.at) / 1000, 1) // a shorter window would overstate a burst
    const rates = { in: (requestsReceived - this.last.in) / seconds, out: (requestsSent - this.last.out) / seconds }
    this.last = { at: now, in: requestsReceived, out: requestsSent }
    const remote = this.dht.remoteAddress()
    return {
      id: this.dht.id,
      mode: modeOf(this.dht),
      nat: natName(remote.type),
      public: remote.host !== null ? `${remote.host}:${remote.port}` : 'unknown',
      table: this.dht.table.size,
      health: this.dht.health,
      rates,
      totals: { in: requestsReceived, out: requestsSent }
    }
  }

  private lines (s: State): string[] {
    return [
      '',
      `  id          ${s.id !== null ? hex(s.id) : '(none while ephemeral)'}`,
      `  mode        ${s.mode}`,
      `  NAT         ${s.nat}, public address ${s.public}`,
      `  routing     ${plural(s.table, 'node')}`,
      `  health      ${s.health}`,
      `  requests    in ${s.rates.in.toFixed(1)}/s, out ${s.rates.out.toFixed(1)}/s  (${s.totals.in} in, ${s.totals.out} out in all)`
    ]
  }

  private line (s: State): string {
    return `status: ${s.mode}, id ${s.id !== null ? shortHex(s.id) : 'none'}, NAT ${s.nat}, public ${s.public}, ` +
      `table ${plural(s.table, 'node')}, requests in ${s.rates.in.toFixed(1)}/s out ${s.rates.out.toFixed(1)}/s, health ${s.health}`
  }
}

interface State {
  id: Uint8Array | null
  mode: string
  nat: string
  public: string
  table: number
  health: DHTHealth
  rates: { in: number, out: number }
  totals: { in: number, out: number }
}

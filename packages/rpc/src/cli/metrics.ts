// `dht-rpc node --metrics HOST:PORT`: the node's stats and health in Prometheus' text format,
// served over HTTP at GET /metrics. Every metric reads `node.stats` in its collect() callback,
// at scrape time: nothing runs between scrapes, and the figures are those of that moment.
// The node command imports this file only with --metrics: prom-client takes a while to load.
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { once } from 'node:events'
import { Counter, Gauge, Registry } from 'prom-client'
import type { DHT } from '../dht.js'
import type { DHTHealth } from '../health.js'
import type { DHTStats } from '../stats.js'
import { COMMAND_METRICS, METRICS_PATH, OTHER_COMMANDS } from './metric-names.js'

const HEALTH_STATES: readonly DHTHealth[] = ['online', 'degraded', 'offline']

/** A registry of the metrics of `dht`, each read from it at scrape time. */
export function metricsRegistry (dht: DHT): Registry {
  const registry = new Registry()
  const registers = [registry]
  // a scrape runs every collect() without a turn of the event loop in between, so no datagram
  // comes or goes between them: each reads the same figures
  const stats = (): DHTStats => dht.stats

  for (const [name, help, field] of COMMAND_METRICS) {
    new Counter({
      name,
      help,
      labelNames: ['command'],
      registers,
      collect () {
        const s = stats()
        this.reset()
        for (const c of s.commands) this.inc({ command: c.command }, c[field])
        if (s.otherCommands[field] > 0) this.inc({ command: OTHER_COMMANDS }, s.otherCommands[field])
      }
    })
  }
  counter(registers, 'dht_invalid_datagrams_total', 'Datagrams that did not decode.', () => stats().totals.invalidDatagrams)
  counter(registers, 'dht_duplicate_requests_total', 'Re-sent requests not handled again (dropped, or answered with the same reply).', () => stats().totals.duplicates)
  gauge(registers, 'dht_table_size', 'Nodes in the routing table.', () => stats().tableSize)
  gauge(registers, 'dht_lookups_running', 'Lookups running.', () => stats().lookups)
  gauge(registers, 'dht_inflight_requests', 'Requests sent and not yet answered, failed or cancelled.', () => stats().inflightRequests)
  gauge(registers, 'dht_round_trip_samples', 'Round trips the dht_round_trip_seconds quantiles are taken over (the latest ones).', () => stats().rtt.samples)
  new Gauge({
    name: 'dht_round_trip_seconds',
    help: 'Round trips of the latest replies to requests answered at the first send, at quantiles 0.5, 0.9 and 0.99.',
    labelNames: ['quantile'],
    registers,
    collect () {
      const { rtt } = stats()
      this.reset()
      for (const [quantile, ms] of [['0.5', rtt.p50], ['0.9', rtt.p90], ['0.99', rtt.p99]] as const) {
        if (ms !== null) this.set({ quantile }, ms / 1000)
      }
    }
  })
  new Gauge({
    name: 'dht_health',
    help: 'The node\'s health: 1 for its current state (online, degraded or offline), 0 for the others.',
    labelNames: ['state'],
    registers,
    collect () {
      for (const state of HEALTH_STATES) this.set({ state }, dht.health === state ? 1 : 0)
    }
  })
  return registry
}

/** An HTTP server of the metrics of `dht`, listening on `host:port` (0: a free port). */
export async function serveMetrics (dht: DHT, host: string, port: number): Promise<{ server: Server, port: number, close: () => Promise<void> }> {
  const registry = metricsRegistry(dht)
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    if (path !== METRICS_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: the metrics are at ${METRICS_PATH}\n`)
      return
    }
    registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text)
    }, (err: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`)
    })
  })
  server.listen(port, host)
  await once(server, 'listening')
  const address = server.address()
  return {
    server,
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  }
}

function counter (registers: Registry[], name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers,
    collect () {
      this.reset()
      this.inc(read())
    }
  })
}

function gauge (registers: Registry[], name: string, help: string, read: () => number): void {
  new Gauge({ name, help, registers, collect () { this.set(read()) } })
}

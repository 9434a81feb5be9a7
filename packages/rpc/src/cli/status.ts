// dht-rpc status: the metrics of a running `dht-rpc node --metrics HOST:PORT`, fetched over
// HTTP and shown for a person: health, routing table, round trips, and a table per command.
import type { DHTHealth } from '../health.js'
import type { RequestCounts } from '../stats.js'
import { CommandError, expectPositionals, parseCommandLine, parseHostPort } from './args.js'
import type { Command } from './command.js'
import { COMMAND_METRICS, METRICS_PATH } from './metric-names.js'
import { duration, oneLine, plural, print, printJson } from './output.js'
import { parsePrometheusText } from './prom-text.js'
import type { Sample } from './prom-text.js'

const FETCH_TIMEOUT_MS = 5000 // a local or nearby node answers at once; one that does not is down or hung

/** What `status` reads from the metrics: the figures of DHTStats, by command. */
export interface Status {
  health: DHTHealth | null
  tableSize: number | null
  lookups: number | null
  inflightRequests: number | null
  rtt: { samples: number | null, p50: number | null, p90: number | null, p99: number | null }
  commands: Array<{ command: string } & RequestCounts>
  invalidDatagrams: number | null
  duplicates: number | null
}

export const status: Command = {
  name: 'status',
  summary: 'show the stats and health of a node run with --metrics',
  help: `Usage: dht-rpc status HOST:PORT [--json]

Fetches http://HOST:PORT${METRICS_PATH}, the metrics of a node started with
dht-rpc node --metrics HOST:PORT, and prints them for a person: its health (online,
degraded or offline), its routing table size, the lookups and requests it has running,
the round trips of its latest replies (p50, p90, p99), and per command the requests it
sent and received, the replies, timeouts, re-sends, rate-limited requests and bytes.
Exits 1 when the metrics cannot be fetched.

Options:
  --json      print the same figures as one JSON document on one line
  -h, --help  show this help

Example:
  dht-rpc status 127.0.0.1:9090`,

  async run (argv) {
    const { values, positionals } = parseCommandLine({
      args: argv,
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true
    })
    const [text] = expectPositionals(positionals, ['HOST:PORT'])
    const { host, port } = parseHostPort(text!)
    const url = `http://${host}:${port}${METRICS_PATH}`
    let body: string
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
      if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`)
      body = await res.text()
    } catch (err) {
      throw new CommandError(`cannot fetch ${url}: ${oneLine((err as Error).cause ?? err)}`)
    }
    let parsed: Status
    try {
      parsed = readStatus(parsePrometheusText(body))
    } catch (err) {
      throw new CommandError(`${url} is not the metrics of a dht-rpc node: ${oneLine(err)}`)
    }
    if (values.json === true) printJson(parsed)
    else for (const line of formatStatus(`${host}:${port}`, parsed)) print(line)
    return 0
  }
}

/** The figures of a node in its metrics' samples. */
export function readStatus (samples: readonly Sample[]): Status {
  const one = (name: string, labels: Record<string, string> = {}): number | null => {
    const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    return found === undefined ? null : found.value
  }
  const healthSample = samples.find((s) => s.name === 'dht_health' && s.value === 1)
  if (healthSample === undefined && one('dht_table_size') === null) throw new Error('no dht_health or dht_table_size')
  const byCommand = new Map<string, { command: string } & RequestCounts>()
  for (const [name, , field] of COMMAND_METRICS) {
    for (const s of samples) {
      const command = s.labels['command']
      if (s.name !== name || command === undefined) continue
      let counts = byCommand.get(command)
      if (counts === undefined) {
        counts = { command, requestsSent: 0, requestsReceived: 0, repliesReceived: 0, repliesSent: 0, timeouts: 0, resends: 0, rateLimited: 0, bytesIn: 0, bytesOut: 0 }
        byCommand.set(command, counts)
      }
      counts[field] = s.value
    }
  }
  const ms = (quantile: string): number | null => {
    const seconds = one('dht_round_trip_seconds', { quantile })
    return seconds === null ? null : seconds * 1000
  }
  return {
    health: (healthSample?.labels['state'] ?? null) as DHTHealth | null,
    tableSize: one('dht_table_size'),
    lookups: one('dht_lookups_running'),
    inflightRequests: one('dht_inflight_requests'),
    rtt: { samples: one('dht_round_trip_samples'), p50: ms('0.5'), p90: ms('0.9'), p99: ms('0.99') },
    commands: [...byCommand.values()],
    invalidDatagrams: one('dht_invalid_datagrams_total'),
    duplicates: one('dht_duplicate_requests_total')
  }
}

/** The lines `dht-rpc status` prints. */
export function formatStatus (where: string, s: Status): string[] {
  const n = (value: number | null): string => value === null ? '?' : String(value)
  const rtt = s.rtt.p50 === null
    ? 'none measured yet'
    : `p50 ${duration(s.rtt.p50)}, p90 ${duration(s.rtt.p90!)}, p99 ${duration(s.rtt.p99!)} (latest ${plural(s.rtt.samples ?? 0, 'reply', 'replies')})`
  const header = ['command', 'sent', 'replies', 'timeouts', 're-sends', 'received', 'answered', 'limited', 'bytes out', 'bytes in']
  const rows = s.commands.map((c) => [c.command, c.requestsSent, c.repliesReceived, c.timeouts, c.resends, c.requestsReceived, c.repliesSent, c.rateLimited, bytes(c.bytesOut), bytes(c.bytesIn)].map(String))
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const row = (cells: string[]): string => '  ' + cells.map((cell, i) => i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)).join('  ')
  return [
    `node at ${where}: ${s.health ?? 'health unknown'}`,
    `  routing table  ${s.tableSize === null ? '?' : plural(s.tableSize, 'node')}, ${n(s.lookups)} lookups running, ${n(s.inflightRequests)} requests in flight`,
    `  round trips    ${rtt}`,
    `  dropped        ${n(s.invalidDatagrams)} invalid datagrams, ${n(s.duplicates)} duplicate requests`,
    '',
    row(header),
    ...rows.map(row)
  ]
}

/** '950 B', '12.3 kB', '4.5 MB'. */
function bytes (n: number): string {
  if (n < 1000) return `${n} B`
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`
  return `${(n / 1e9).toFixed(2)} GB`
}

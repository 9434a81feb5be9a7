// The names the metrics of `dht-rpc node --metrics` are served under, shared by the server
// (metrics.ts, which loads prom-client) and by `dht-rpc status`, which reads them (and
// should not load prom-client to do so).
import type { RequestCounts } from '../stats.js'

/** Where the metrics are served. */
export const METRICS_PATH = '/metrics'
/** The label of the commands past the first 64, summed (see DHTStats.otherCommands). */
export const OTHER_COMMANDS = '(other)'

/** The per-command counters (label `command`): metric name, help, and the field of RequestCounts it reports. */
export const COMMAND_METRICS: ReadonlyArray<[name: string, help: string, field: keyof RequestCounts]> = [
  ['dht_requests_sent_total', 'Requests sent, each once however often it was re-sent.', 'requestsSent'],
  ['dht_requests_received_total', 'Requests received and handed to their handler.', 'requestsReceived'],
  ['dht_replies_received_total', 'Replies received to our requests.', 'repliesReceived'],
  ['dht_replies_sent_total', 'Replies sent.', 'repliesSent'],
  ['dht_timeouts_total', 'Our requests that got no reply before their timeout.', 'timeouts'],
  ['dht_resends_total', 'Re-sends of our requests that were not answered in time.', 'resends'],
  ['dht_rate_limited_total', 'Requests dropped unread: their source was over the rate limit.', 'rateLimited'],
  ['dht_received_bytes_total', 'Bytes received.', 'bytesIn'],
  ['dht_sent_bytes_total', 'Bytes sent.', 'bytesOut']
]

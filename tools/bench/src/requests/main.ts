/**
 * Requests between two nodes on loopback, as fast as they go: a client keeps `--concurrency`
 * requests of a custom command in flight to a server that echoes them, until `--requests`
 * are answered (after a warm-up of a tenth as many), and prints the rate. Only the public API
 * of @dht/rpc is used, so the same program times two builds of it against each other: the
 * whole process does the same work in both, and the rate it prints is its own measure.
 * With --sim the two nodes run on @dht/sim's network and clock instead: no system calls, no
 * waiting, the same work on every run, so what the node's own code costs stands out.
 *
 *   node --expose-gc tools/bench/dist/src/requests/main.js [--requests N] [--concurrency C] [--sim]
 */
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import DHT from '@dht/rpc'
import type { DHTOptions } from '@dht/rpc'
import { SimNetwork } from '@dht/sim'
import type { SimHost } from '@dht/sim'

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    sim: { type: 'boolean', default: false }
  }
})
const total = Number(values.requests)
const concurrency = Number(values.concurrency)
if (!(Number.isInteger(total) && total > 0 && Number.isInteger(concurrency) && concurrency > 0)) {
  process.stderr.write('usage: main.js [--requests N] [--concurrency C] [--sim] (positive integers)\n')
  process.exit(2)
}

const LOOPBACK = '127.0.0.1'
const net = values.sim ? new SimNetwork({ latency: { min: 1, max: 1 } }) : null
// runs `promise` to its end: on the simulated clock, or as it comes
const settle = <T>(promise: Promise<T>): Promise<T> => net === null ? promise : net.clock.runUntil(promise)
// each node on a host of its own on the simulated network, or both on loopback
const serverHost = net === null ? null : net.addHost()
const clientHost = net === null ? null : net.addHost()
const on = (host: SimHost | null): DHTOptions => net === null || host === null ? { host: LOOPBACK } : { createSocket: host.createSocket, clock: net.clock, random: net.random }

// no rate limit: one client far over it is the point; the window (80 a slot) is above C
const server = new DHT({ bootstrap: false, ephemeral: true, rateLimit: false, ...on(serverHost) })
server.on('request', (req) => { if (req.command === 'echo') req.reply(req.value) })
const port = await settle(server.bind())
const client = new DHT({ bootstrap: false, ephemeral: true, ...on(clientHost) })
await settle(client.bind())
const to = { host: serverHost === null ? LOOPBACK : serverHost.address, port }
const value = Buffer.from('a value of some forty bytes, as a user sends')

async function run (n: number): Promise<number> {
  let started = 0
  let failed = 0
  const worker = async (): Promise<void> => {
    while (started < n) {
      started++
      await client.request(null, 'echo', value, to).catch(() => { failed++ })
    }
  }
  const start = performance.now()
  await settle(Promise.all(Array.from({ length: concurrency }, worker)))
  const seconds = (performance.now() - start) / 1000
  if (failed > 0) process.stderr.write(`${failed} requests failed\n`)
  return n / seconds
}

await run(Math.ceil(total / 10)) // warm-up: the JIT, the sockets' buffers
const cpu = process.cpuUsage()
const rate = await run(total)
const { user, system } = process.cpuUsage(cpu)
process.stdout.write(`${total} requests${net === null ? '' : ' (simulated)'}, ${concurrency} in flight: ${Math.round(rate)} requests/s, ${((user + system) / total).toFixed(1)} µs of CPU per request\n`)
await settle(Promise.all([client.destroy(), server.destroy()]))

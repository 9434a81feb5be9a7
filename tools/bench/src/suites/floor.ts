import dgram from 'node:dgram'
import type { Socket } from 'node:dgram'
import { encodeReply, encodeRequest, id } from '@dht/wire'
import type { Config } from '../config.js'
import { now } from '../stats.js'

/**
 * What this machine allows any implementation: bare UDP request/reply pairs per second with
 * the shape of the throughput suite (one asker and `size` answering sockets on 127.0.0.1, all
 * in one process) and no DHT work at all: each socket answers every datagram with the bytes of
 * a find_node reply carrying 20 closer nodes, and the asker sends the bytes of a find_node
 * request, never decoding anything. A lookup of L requests needs L such pairs, so a node
 * keeping C lookups in flight completes at most pairs/L per second and, by Little's law,
 * its lookups take at least C * L / pairs on average.
 */
export interface FloorRun {
  /** The best rate over the windows tried. */
  pairsPerSecond: number
  /** Each window (requests kept in flight) and the pairs per second it reached. */
  windows: Array<{ window: number, pairsPerSecond: number, capped: boolean }>
  sockets: number
  requestBytes: number
  replyBytes: number
}

const HOST = '127.0.0.1'

// real message bytes, so the datagrams are the size a lookup step sends and receives
function messages (): { request: Uint8Array, reply: Uint8Array } {
  const to = { host: HOST, port: 49737 }
  const sender = id(HOST, 5000)
  const closerNodes = Array.from({ length: 20 }, (_, i) => ({ host: HOST, port: 10_000 + i }))
  return {
    request: encodeRequest({ tid: 4242, to, id: sender, token: null, target: id(HOST, 1), command: 'find_node', value: null }),
    reply: encodeReply({ tid: 4242, to, id: sender, token: id(HOST, 2), closerNodes, status: 0, value: null })
  }
}

function bind (socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, HOST, () => {
      socket.off('error', reject)
      resolve(socket.address().port)
    })
  })
}

// `pairs` request/reply pairs with `window` requests in flight, or what completes within capMs
function pump (asker: Socket, ports: readonly number[], request: Uint8Array, window: number, pairs: number, capMs: number): Promise<{ pairsPerSecond: number, capped: boolean }> {
  return new Promise((resolve) => {
    let sent = 0
    let received = 0
    const t0 = now()
    const finish = (capped: boolean): void => {
      clearTimeout(timer)
      asker.removeListener('message', onmessage)
      resolve({ pairsPerSecond: received / ((now() - t0) / 1000), capped })
    }
    const send = (): void => {
      asker.send(request, ports[sent % ports.length]!, HOST)
      sent++
    }
    const onmessage = (): void => {
      received++
      if (received === pairs) finish(false)
      else if (sent < pairs) send()
    }
    // a datagram lost on loopback would leave the window short: the cap ends the run anyway
    const timer = setTimeout(() => finish(true), capMs)
    asker.on('message', onmessage)
    for (let i = 0; i < window && sent < pairs; i++) send()
  })
}

export async function runFloor (config: Config): Promise<FloorRun> {
  const { request, reply } = messages()
  const sockets: Socket[] = []
  try {
    const ports: number[] = []
    for (let i = 0; i < config.network.size; i++) {
      const s = dgram.createSocket('udp4')
      sockets.push(s)
      s.on('message', (_msg, from) => s.send(reply, from.port, from.address))
      ports.push(await bind(s))
    }
    // a fresh asker per run, so that replies left over from a capped run count for nobody
    const newAsker = async (): Promise<Socket> => {
      const asker = dgram.createSocket('udp4')
      sockets.push(asker)
      await bind(asker)
      return asker
    }

    const f = config.floor
    await pump(await newAsker(), ports, request, f.windows[0]!, Math.min(f.pairs, 2000), f.capMs) // warm-up
    const windows: FloorRun['windows'] = []
    for (const window of f.windows) {
      const r = await pump(await newAsker(), ports, request, window, f.pairs, f.capMs)
      windows.push({ window, ...r })
    }
    return {
      pairsPerSecond: Math.max(...windows.map((w) => w.pairsPerSecond)),
      windows,
      sockets: config.network.size,
      requestBytes: request.byteLength,
      replyBytes: reply.byteLength
    }
  } finally {
    for (const s of sockets) s.close()
  }
}

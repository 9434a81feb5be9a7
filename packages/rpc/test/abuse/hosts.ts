import dgram from 'node:dgram'
import { once } from 'node:events'

/** Another host on Linux's 127/8 loopback, to tell sources apart by host. */
export const OTHER_HOST = '127.0.0.2'

/** True when `host` can be bound here (127.0.0.2 cannot on macOS by default). */
export async function canBind (host: string): Promise<boolean> {
  const socket = dgram.createSocket('udp4')
  try {
    socket.bind(0, host)
    await once(socket, 'listening')
    return true
  } catch {
    return false
  } finally {
    socket.close()
  }
}

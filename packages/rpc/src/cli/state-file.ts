// The file `dht-rpc node --state FILE` keeps its routing table in, so a restart joins through
// the nodes it knew even when every bootstrap node is down. A small JSON document:
//
//   { "version": 1, "savedAt": "2024-05-01T12:00:00.000Z", "nodes": [{ "host": "10.0.0.7", "port": 49737 }] }
//
// The nodes' addresses are all a restart needs: a persistent node's id is the hash of its
// address. A file is read whole or refused whole: one we cannot read may not be ours, so the
// node never starts with half of it, nor later saves over it.
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { isIPv4 } from '@dht/wire'
import { UsageError } from './args.js'
import type { HostPort } from './args.js'

/** The version of the document written, the only one read; a new shape gets a new number. */
export const STATE_VERSION = 1

/** What a state file holds. */
export interface SavedState {
  savedAt: Date
  nodes: HostPort[]
}

/** The document for `nodes` saved at `savedAt`, one line of JSON and a newline. */
export function formatState (nodes: readonly HostPort[], savedAt: Date): string {
  const document = { version: STATE_VERSION, savedAt: savedAt.toISOString(), nodes: nodes.map(({ host, port }) => ({ host, port })) }
  return JSON.stringify(document) + '\n'
}

/** The state in `text`; throws an Error that says what is wrong with it. */
export function parseState (text: string): SavedState {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    throw new Error('not JSON')
  }
  if (!isRecord<'version' | 'savedAt' | 'nodes'>(document)) throw new Error('expected an object with version, savedAt and nodes')
  if (document.version !== STATE_VERSION) {
    throw new Error(`version ${JSON.stringify(document.version)} is not one this dht-rpc reads (it reads version ${STATE_VERSION})`)
  }
  const savedAt = typeof document.savedAt === 'string' ? new Date(document.savedAt) : null
  if (savedAt === null || Number.isNaN(savedAt.getTime())) throw new Error('savedAt is not an ISO date')
  if (!Array.isArray(document.nodes)) throw new Error('nodes is not a list')
  const nodes = document.nodes.map((node: unknown, i): HostPort => {
    if (!isRecord<'host' | 'port'>(node) || typeof node.host !== 'string' || !isIPv4(node.host) || !isPort(node.port)) {
      throw new Error(`nodes[${i}] is not an IPv4 { host, port }: ${JSON.stringify(node)}`)
    }
    return { host: node.host, port: node.port }
  })
  return { savedAt, nodes }
}

/** The state saved in `file`, or null when there is no file (a fresh start). */
export async function readState (file: string): Promise<SavedState | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw refused(file, (err as Error).message)
  }
  try {
    return parseState(text)
  } catch (err) {
    throw refused(file, (err as Error).message)
  }
}

/**
 * Saves `nodes` to `file` atomically: the document is written and flushed to a temporary file
 * in the same folder, then renamed over `file`, so a crash at any point leaves either the old
 * file or the new one, never a part of one. Saves that overlap each use a temporary file of
 * their own.
 */
export async function writeState (file: string, nodes: readonly HostPort[], savedAt = new Date()): Promise<void> {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    const handle = await open(temporary, 'wx')
    try {
      await handle.writeFile(formatState(nodes, savedAt))
      await handle.sync() // the contents reach the disk before the rename makes them the file
    } finally {
      await handle.close()
    }
    await rename(temporary, file)
  } catch (err) {
    await rm(temporary, { force: true })
    throw err
  }
}

// exit code 2, as for a bad argument: the file named by --state is not one we can use
function refused (file: string, reason: string): UsageError {
  return new UsageError(`bad --state file ${JSON.stringify(file)}: ${reason}; fix or remove it to start afresh`)
}

function isRecord<K extends string> (value: unknown): value is { [P in K]?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isPort (value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535
}

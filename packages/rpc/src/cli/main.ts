#!/usr/bin/env node
// dht-rpc: the command line of @dht/rpc. Exit codes: 0 done (also when stopped by SIGINT or
// SIGTERM), 1 failed (no reply, not found, port in use), 2 bad arguments.
import { readFileSync } from 'node:fs'
import { UsageError, wantsHelp } from './args.js'
import { bootstrap } from './bootstrap.js'
import type { Command } from './command.js'
import { demo } from './demo.js'
import { get } from './get.js'
import { node } from './node.js'
import { oneLine } from './output.js'
import { ping } from './ping.js'
import { put } from './put.js'
import { query } from './query.js'
import { Session } from './session.js'
import { status } from './status.js'

const EXIT_FAILED = 1
const EXIT_USAGE = 2
const EXIT_GRACE_MS = 2000 // after the nodes are destroyed nothing should be left; never hang on it

const commands: readonly Command[] = [demo, bootstrap, node, status, ping, query, put, get]

const HELP = `Usage: dht-rpc <command> [options]

Make RPC calls over a Kademlia-based DHT (dht-rpc v5).

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run dht-rpc <command> --help for its options, dht-rpc --version (-v) for the version
of @dht/rpc. Ctrl-C (SIGINT) or SIGTERM stops any command cleanly and exits 0.
Exit codes: 0 done, 1 failed, 2 bad arguments.`

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0) // the reader went away (dht-rpc ... | head)
  throw err
})
process.exitCode = await main(process.argv.slice(2))
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref()

async function main (argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined) return usageError('dht-rpc', 'missing command')
  if (name === '--help' || name === '-h' || (name === 'help' && args.length === 0)) {
    process.stdout.write(HELP + '\n')
    return 0
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(version() + '\n')
    return 0
  }
  const command = commands.find((c) => c.name === (name === 'help' ? args[0] : name))
  if (command === undefined) {
    const unknown = name === 'help' ? args[0]! : name
    return usageError('dht-rpc', `unknown command ${JSON.stringify(unknown)}`)
  }
  if (name === 'help' || wantsHelp(args)) {
    process.stdout.write(command.help + '\n')
    return 0
  }
  return run(command, args)
}

async function run (command: Command, args: string[]): Promise<number> {
  const session = new Session()
  const prefix = `dht-rpc ${command.name}`
  try {
    const work = command.run(args, session)
    work.catch(() => {}) // once stopped by a signal, its failure (a destroyed node) is expected
    return await Promise.race([work, session.stopped.then(() => 0)])
  } catch (err) {
    if (session.signal !== null) return 0
    if (err instanceof UsageError) return usageError(prefix, err.message)
    process.stderr.write(`${prefix}: ${oneLine(err)}\n`)
    return EXIT_FAILED
  } finally {
    await session.close()
    session.dispose()
  }
}

// The package's own package.json: dist/cli/main.js is two folders below it, in the
// repository and in the installed package alike.
function version (): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}

function usageError (prefix: string, message: string): number {
  process.stderr.write(`${prefix}: ${message} (see ${prefix} --help)\n`)
  return EXIT_USAGE
}

// dht-rpc ping: one ping to one node, with the round trip and how it sees us.
import { performance } from 'node:perf_hooks'
import { resolveBootstrap } from '../bootstrap-nodes.js'
import { CommandError, expectPositionals, parseCommandLine, parseHostPort } from './args.js'
import type { Command } from './command.js'
import { address, duration, hex, printJson, print, roundMs } from './output.js'
import { startNode } from './start.js'
import { stderrWarnings } from './warnings.js'

export const ping: Command = {
  name: 'ping',
  summary: 'ping a node and show the round trip',
  help: `Usage: dht-rpc ping host:port [--json]

Sends one ping from an ephemeral node (re-sent up to 3 times) and prints the round trip,
the node's id (persistent nodes only) and our address as it sees us. Exits 1 if no reply.

Options:
  --json      print {"host","port","ms","id","to"} on one line
  -h, --help  show this help

Example:
  dht-rpc ping 127.0.0.1:10001`,

  async run (argv, session) {
    const { values, positionals } = parseCommandLine({
      args: argv,
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true
    })
    const [text] = expectPositionals(positionals, ['host:port'])
    const given = parseHostPort(text!)
    const [resolved] = await resolveBootstrap([given]) // a host name, looked up to IPv4
    if (resolved === undefined) throw new CommandError(`cannot resolve ${given.host}`)
    const to = { host: resolved.host, port: resolved.port }

    const node = startNode(session, { ephemeral: true, bootstrap: false }, stderrWarnings('ping'))
    const start = performance.now()
    const reply = await node.ping(to)
    const ms = performance.now() - start
    if (values.json === true) {
      printJson({ host: to.host, port: to.port, ms: roundMs(ms), id: reply.id !== null ? hex(reply.id) : null, to: reply.to })
    } else {
      const who = reply.id !== null ? `persistent node, id ${hex(reply.id)}` : 'ephemeral node (no id)'
      print(`reply from ${address(to)} in ${duration(ms)}: ${who}; it sees us at ${address(reply.to)}`)
    }
    return 0
  }
}

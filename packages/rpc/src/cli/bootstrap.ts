// dht-rpc bootstrap: an ephemeral node that other nodes join through, until stopped.
import { expectPositionals, parseCommandLine, parseHost, parsePort } from './args.js'
import type { Command } from './command.js'
import { bindExactly, startNode } from './start.js'
import { print } from './output.js'
import { stderrWarnings } from './warnings.js'

const DEFAULT_PORT = 10001 // the port of the dht-rpc README's bootstrap node

export const bootstrap: Command = {
  name: 'bootstrap',
  summary: 'run a bootstrap node that other nodes join through',
  help: `Usage: dht-rpc bootstrap [--port P] [--host H]

Runs an ephemeral bootstrap node until Ctrl-C (SIGINT) or SIGTERM, then exits 0.
It answers other nodes but never joins their routing tables.

Options:
  --port P   UDP port to listen on; 0 picks a free one (default ${DEFAULT_PORT}).
             A taken port is an error, not a fallback.
  --host H   address to bind (default 0.0.0.0)
  -h, --help show this help

Example:
  dht-rpc bootstrap --port 10001
  dht-rpc node --bootstrap 127.0.0.1:10001`,

  async run (argv, session) {
    const { values, positionals } = parseCommandLine({
      args: argv,
      options: { port: { type: 'string' }, host: { type: 'string' } },
      allowPositionals: true,
      strict: true
    })
    expectPositionals(positionals, [])
    const port = values.port !== undefined ? parsePort(values.port, '--port') : DEFAULT_PORT
    const host = values.host !== undefined ? parseHost(values.host, '--host') : '0.0.0.0'

    const node = startNode(session, { ephemeral: true, bootstrap: false, host, bind: port }, stderrWarnings('bootstrap'))
    const bound = await bindExactly(node, port)
    print(`bootstrap node listening on ${host}:${bound}`)
    print(`join with: dht-rpc node --bootstrap ${host === '0.0.0.0' ? '<this host>' : host}:${bound}`)
    await session.stopped
    return 0
  }
}

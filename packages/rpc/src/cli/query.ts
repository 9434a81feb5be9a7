// dht-rpc query: a lookup of a target with any command, its replies printed as they come.
import { performance } from 'node:perf_hooks'
import type { DHTReply } from '../types.js'
import { CommandError, expectPositionals, parseBootstrapList, parseCommandLine, parseKey } from './args.js'
import type { Command } from './command.js'
import { address, duration, hex, jsonValue, plural, print, printJson, roundMs, shortHex, showValue } from './output.js'
import { joinAsClient } from './start.js'
import { stderrWarnings } from './warnings.js'

export const query: Command = {
  name: 'query',
  summary: 'look up a target and print the replies as they stream in',
  help: `Usage: dht-rpc query <target> --bootstrap host:port [--command c] [--value v] [--json]

Joins the DHT as an ephemeral node and runs a lookup of <target> (64 hex digits), sending
the command to ever closer nodes. Each reply with status 0 is printed as it arrives.
Exits 1 if no node answered with status 0.

Options:
  --bootstrap host:port  a bootstrap node (repeat, or separate with commas, for more)
  --command c            the command to send (default find_node)
  --value v              a value to send with it, as UTF-8 text (default none)
  --json                 print one JSON document at the end: the replies, the closest
                         nodes, nodes asked and the time taken
  -h, --help             show this help

Example:
  dht-rpc query 5f1b…(64 hex digits) --command values --bootstrap 127.0.0.1:10001`,

  async run (argv, session) {
    const { values, positionals } = parseCommandLine({
      args: argv,
      options: {
        bootstrap: { type: 'string', multiple: true },
        command: { type: 'string', default: 'find_node' },
        value: { type: 'string' },
        json: { type: 'boolean' }
      },
      allowPositionals: true,
      strict: true
    })
    const [targetText] = expectPositionals(positionals, ['<target>'])
    const target = parseKey(targetText!, 'target')
    const bootstrap = parseBootstrapList(values.bootstrap)
    const command = values.command
    const value = values.value !== undefined ? Buffer.from(values.value) : null
    const json = values.json === true

    const node = await joinAsClient(session, bootstrap, stderrWarnings('query'))
    const start = performance.now()
    if (!json) print(`query ${command} ${hex(target)}`)
    const q = node.query(target, command, value)
    const replies: DHTReply[] = []
    for await (const reply of q) {
      replies.push(reply)
      if (!json) print(describe(reply))
    }
    const ms = performance.now() - start
    const asked = q.successes + q.errors
    if (json) {
      printJson({
        target: hex(target),
        command,
        asked,
        ms: roundMs(ms),
        replies: replies.map((r) => ({
          from: r.from,
          id: r.id !== null ? hex(r.id) : null,
          ...(r.value !== null ? jsonValue(r.value) : { value: null, valueHex: null }),
          closerNodes: r.closerNodes ?? []
        })),
        closest: q.closestNodes.map((n) => ({ host: n.host, port: n.port, id: hex(n.id) }))
      })
      return replies.length > 0 ? 0 : 1
    }
    // the closest nodes are those that answered, so without a reply there are none to show
    if (replies.length === 0) throw new CommandError(`no node answered ${command} (asked ${plural(asked, 'node')} in ${duration(ms)})`)
    print(`${plural(replies.length, 'reply', 'replies')} from ${plural(asked, 'node')} asked in ${duration(ms)}; ` +
      `closest: ${q.closestNodes.slice(0, 3).map(address).join(', ')}${q.closestNodes.length > 3 ? ', …' : ''}`)
    return 0
  }
}

function describe (reply: DHTReply): string {
  const parts = [address(reply.from).padEnd(21), reply.id !== null ? `id ${shortHex(reply.id)}` : 'no id       ']
  parts.push(plural(reply.closerNodes?.length ?? 0, 'closer node'))
  if (reply.value !== null) parts.push(`value ${showValue(reply.value)}`)
  return parts.join('  ')
}

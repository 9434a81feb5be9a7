// dht-rpc put: store a value under sha256(value) with the README's 'values' command.
import { CommandError, expectPositionals, parseBootstrapList, parseCommandLine } from './args.js'
import type { Command } from './command.js'
import { duration, hex, plural, print, printJson, roundMs } from './output.js'
import { joinAsClient } from './start.js'
import { putValue } from './values.js'
import { stderrWarnings } from './warnings.js'

export const put: Command = {
  name: 'put',
  summary: "store a value on the 'values' command (key = sha256(value))",
  help: `Usage: dht-rpc put <value> --bootstrap host:port [--json]

Stores <value> (UTF-8 text) in the key-value store of the dht-rpc README: a lookup of
key = sha256(value) on the 'values' command, then a commit to the closest nodes, which
store it. Prints the key. Exits 1 if no node stored it.

Options:
  --bootstrap host:port  a bootstrap node (repeat, or separate with commas, for more)
  --json                 print {"key","committed","stored","asked","replies","ms"} on one line
  -h, --help             show this help

Example:
  dht-rpc put 'hello world' --bootstrap 127.0.0.1:10001
  dht-rpc get <the key it printed> --bootstrap 127.0.0.1:10001`,

  async run (argv, session) {
    const { values, positionals } = parseCommandLine({
      args: argv,
      options: { bootstrap: { type: 'string', multiple: true }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true
    })
    const [text] = expectPositionals(positionals, ['<value>'])
    const bootstrap = parseBootstrapList(values.bootstrap)

    const node = await joinAsClient(session, bootstrap, stderrWarnings('put'))
    const result = await putValue(node, Buffer.from(text!)).catch((err: unknown) => {
      if (node.destroyed) throw err
      throw new CommandError(`no node stored the value: ${(err as Error).message}`)
    })
    if (values.json === true) {
      printJson({ key: hex(result.key), committed: result.committed, stored: result.stored, asked: result.asked, replies: result.replies, ms: roundMs(result.ms) })
    } else {
      print(`key ${hex(result.key)}`)
      print(`stored on ${result.stored} of the ${plural(result.committed, 'closest node', 'closest nodes')} (asked ${result.asked}, ${result.replies} answered) in ${duration(result.ms)}`)
    }
    return 0
  }
}

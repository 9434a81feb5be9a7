// dht-rpc get: find a value by its key on the README's 'values' command.
import { CommandError, expectPositionals, parseBootstrapList, parseCommandLine, parseKey } from './args.js'
import type { Command } from './command.js'
import { address, duration, hex, jsonValue, plural, print, printJson, roundMs, showValue } from './output.js'
import { joinAsClient } from './start.js'
import { getValue } from './values.js'
import { stderrWarnings } from './warnings.js'

export const get: Command = {
  name: 'get',
  summary: "find a value by its key on the 'values' command",
  help: `Usage: dht-rpc get <key> --bootstrap host:port [--json]

Looks up <key> (64 hex digits, the sha256 of the value) on the 'values' command of the
dht-rpc README and stops at the first reply whose value hashes to the key. Prints the
value. Exits 1 if no node has it.

Options:
  --bootstrap host:port  a bootstrap node (repeat, or separate with commas, for more)
  --json                 print {"key","found","value","valueHex","from","asked","replies","ms"}
                         on one line (value: the UTF-8 text, or null when not printable)
  -h, --help             show this help

Example:
  dht-rpc get b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9 --bootstrap 127.0.0.1:10001`,

  async run (argv, session) {
    const { values, positionals } = parseCommandLine({
      args: argv,
      options: { bootstrap: { type: 'string', multiple: true }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true
    })
    const [keyText] = expectPositionals(positionals, ['<key>'])
    const key = parseKey(keyText!, 'key')
    const bootstrap = parseBootstrapList(values.bootstrap)

    const node = await joinAsClient(session, bootstrap, stderrWarnings('get'))
    const result = await getValue(node, key)
    if (values.json === true) {
      printJson({
        key: hex(key),
        found: result.value !== null,
        ...(result.value !== null ? jsonValue(result.value) : { value: null, valueHex: null }),
        from: result.holder,
        asked: result.asked,
        replies: result.replies,
        ms: roundMs(result.ms)
      })
      return result.value !== null ? 0 : 1
    }
    if (result.value === null) throw new CommandError(`not found: no node has ${hex(key)} (asked ${result.asked})`)
    print(`value ${showValue(result.value)}`)
    print(`found at ${address(result.holder!)} after asking ${plural(result.asked, 'node')} (${result.replies} answered) in ${duration(result.ms)}`)
    return 0
  }
}

import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dhtRpc, lines } from './helpers.js'

const COMMANDS = ['demo', 'bootstrap', 'node', 'status', 'ping', 'query', 'put', 'get']
const KEY = 'ab'.repeat(32)

test('dht-rpc --help lists every command', async (t) => {
  for (const args of [['--help'], ['-h'], ['help']]) {
    const { code, stdout, stderr } = await dhtRpc(t, args)
    assert.equal(code, 0, stderr)
    assert.match(stdout, /^Usage: dht-rpc <command>/)
    for (const name of COMMANDS) assert.match(stdout, new RegExp(`^  ${name} +\\S`, 'm'), `${name} is listed`)
    assert.equal(stderr, '')
  }
})

test('dht-rpc --version and -v print the version of @dht/rpc from its package.json', async (t) => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  for (const flag of ['--version', '-v']) {
    const { code, stdout, stderr } = await dhtRpc(t, [flag])
    assert.equal(code, 0, stderr)
    assert.equal(stdout, `${version}\n`, flag)
    assert.equal(stderr, '', flag)
  }
})

test('--help works for every command, before any other argument is checked', async (t) => {
  const runs = COMMANDS.flatMap((name) => [[name, '--help'], ['help', name], [name, 'bad', '--port', 'x', '-h']])
  const exits = await Promise.all(runs.map((args) => dhtRpc(t, args)))
  exits.forEach(({ code, stdout, stderr }, i) => {
    const args = runs[i]!
    const name = args[0] === 'help' ? args[1]! : args[0]!
    assert.equal(code, 0, `${args.join(' ')}: ${stderr}`)
    assert.match(stdout, new RegExp(`^Usage: dht-rpc ${name}`), args.join(' '))
    assert.match(stdout, /--help/, args.join(' '))
    assert.equal(stderr, '', args.join(' '))
  })
})

test('bad arguments: one line on stderr, nothing on stdout, exit code 2', async (t) => {
  const cases: Array<[args: string[], message: RegExp]> = [
    [[], /missing command/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['help', 'frobnicate'], /unknown command "frobnicate"/],
    [['ping'], /missing host:port/],
    [['ping', 'nonsense'], /bad address "nonsense": expected host:port/],
    [['ping', '127.0.0.1:70000'], /bad address "127\.0\.0\.1:70000"/],
    [['ping', '127.0.0.1:0'], /bad address/],
    [['ping', '127.0.0.1:1', '127.0.0.1:2'], /unexpected argument "127\.0\.0\.1:2"/],
    [['ping', '127.0.0.1:1', '--count', '3'], /: unknown option "--count" \(/],
    [['ping', '-x', '127.0.0.1:1'], /: unknown option "-x" \(/],
    [['ping', '127.0.0.1:1', '--json=yes'], /: --json takes no value \(/],
    [['get', 'xyz', '--bootstrap', '127.0.0.1:1'], /bad key "xyz": expected 64 hex digits/],
    [['get', KEY.slice(2), '--bootstrap', '127.0.0.1:1'], /bad key/],
    [['get', KEY], /missing --bootstrap/],
    [['query', 'g'.repeat(64), '--bootstrap', '127.0.0.1:1'], /bad target/],
    [['query', KEY, '--bootstrap', 'localhost'], /bad --bootstrap "localhost": expected host:port/],
    [['query', KEY, '--bootstrap', '127.0.0.1:1', '--command'], /: missing value for --command \(/],
    [['put'], /missing <value>/],
    [['put', 'v'], /missing --bootstrap/],
    [['put', 'v', '--bootstrap', '127.0.0.1:1,nope'], /bad --bootstrap "nope"/],
    [['demo', '--nodes', '0'], /bad --nodes "0": expected a whole number from 2 to 1000/],
    [['demo', '--nodes', 'ten'], /bad --nodes "ten"/],
    [['demo', '--frobnicate'], /: unknown option "--frobnicate" \(/],
    [['demo', 'extra'], /unexpected argument "extra"/],
    [['node'], /missing --bootstrap/],
    [['node', '--bootstrap', '127.0.0.1:1', '--ephemeral', '--persistent'], /--ephemeral and --persistent exclude each other/],
    [['node', '--bootstrap', '127.0.0.1:1', '--port', '-1'], /--port/],
    [['bootstrap', '--port', '99999'], /bad --port "99999"/],
    [['bootstrap', '--host', 'example.com'], /bad --host "example\.com": expected an IPv4 address/]
  ]
  const exits = await Promise.all(cases.map(([args]) => dhtRpc(t, args)))
  exits.forEach(({ code, stdout, stderr }, i) => {
    const [args, message] = cases[i]!
    const label = `dht-rpc ${args.join(' ')}`
    assert.equal(code, 2, `${label}: exit code (stderr: ${stderr})`)
    assert.equal(stdout, '', label)
    assert.equal(lines(stderr).length, 1, `${label}: one line, got ${JSON.stringify(stderr)}`)
    assert.match(stderr, message, label)
    assert.match(stderr, /^dht-rpc\b.*\(see dht-rpc( \w+)? --help\)\n$/, label)
    for (const quote of ['"', "'"]) assert.equal(stderr.split(quote).length % 2, 1, `${label}: every ${quote} is closed in ${stderr}`)
  })
})

// tools/sim: `pnpm sim [options]`. Each network size runs in its own child process (with its
// heap sized for 8 GiB in all, and gc exposed), so sizes do not share memory and peak RSS is per size.

import { fork } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { USAGE, UsageError, parseOptions } from './options.js'
import type { CliOptions } from './options.js'
import { formatReports } from './report.js'
import { mergeReports, readResults, writeResults } from './results.js'
import type { StoredReport } from './results.js'
import { simulate } from './simulate.js'
import type { SimulationReport } from './simulate.js'

async function main (argv: readonly string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(USAGE)
    return 0
  }
  let opts: CliOptions
  try {
    opts = parseOptions(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    console.error(`sim: ${err.message} (see --help)`)
    return 2
  }
  if (opts.child) {
    const report = await simulate({ ...opts.base, nodes: opts.sizes[0]!, log: (line) => console.error(`[${opts.sizes[0]}] ${line}`) })
    process.send?.(report)
    return 0
  }

  const fresh: StoredReport[] = []
  for (const nodes of opts.sizes) {
    const report = await runChild(argv, nodes, opts.base.workers ?? 1)
    fresh.push({ ...report, measured: { date: new Date().toISOString(), node: process.version } })
  }
  const reports = opts.out !== null && opts.merge ? mergeReports(readResults(opts.out), fresh) : fresh
  const table = opts.out !== null ? writeResults(opts.out, reports) : formatReports(reports)
  if (opts.json) console.log(JSON.stringify(reports, null, 2))
  else console.log(table)
  if (opts.out !== null && !opts.json) console.log(`\nwrote ${['results.json', 'table.txt', 'scaling.svg'].map((f) => join(opts.out!, f)).join(', ')}`)
  return 0
}

// MB of semi-space for each thread running nodes: a young generation large enough for the
// datagrams and requests in flight to die young, so they are never copied to the old one
// (larger than 256 MB gains nothing). Each worker gets one as large (see
// partition/cluster.ts), so more than two share 512 MB: a smaller young generation each
// costs them no time and saves memory. The measurements are in tools/sim/results/README.md.
function semiSpaceMb (workers: number): number {
  return workers <= 2 ? 256 : Math.floor(512 / workers)
}

function runChild (argv: readonly string[], nodes: number, workers: number): Promise<SimulationReport> {
  const args = withNodes(argv, nodes)
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [...args, '--child'], {
      // the young generation above, and an old generation that leaves room under 8 GiB for
      // it, the code and the buffers outside the heap
      execArgv: ['--max-old-space-size=6144', `--max-semi-space-size=${semiSpaceMb(workers)}`, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    let report: SimulationReport | null = null
    child.on('message', (message) => { report = message as SimulationReport })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (report !== null) resolve(report)
      else reject(new Error(`the simulation of ${nodes} nodes exited with ${signal ?? code} before reporting`))
    })
  })
}

function withNodes (argv: readonly string[], nodes: number): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--nodes') i++
    else if (argv[i] === '--quick') out.push('--quick')
    else out.push(argv[i]!)
  }
  return [...out, '--nodes', String(nodes)]
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code }, (err: unknown) => {
  console.error(err)
  process.exitCode = 1
})

/**
 * A worker process: runs one task (see config.ts `Task`) and sends its result to the parent.
 * Each implementation's networks live in processes of their own, so memory, CPU and the
 * event loop of one never weigh on another's figures.
 */
import { loadImplementation } from './adapters/index.js'
import type { Task } from './config.js'
import { loadavg } from 'node:os'
import { shuffled, sleep } from './stats.js'
import { buildNetwork } from './suites/common.js'
import { runChurn } from './suites/churn.js'
import { runCodec } from './suites/codec.js'
import { runCommit } from './suites/commit.js'
import { runFloor } from './suites/floor.js'
import { runJoin } from './suites/join.js'
import { runLookups } from './suites/lookups.js'
import { runThroughput } from './suites/throughput.js'

export interface WorkerResult {
  ok: boolean
  result?: unknown
  error?: string
  loadavg: number[]
}

const log = (line: string): void => { process.stderr.write(`    ${line}\n`) }

async function run (task: Task): Promise<unknown> {
  switch (task.kind) {
    case 'join':
      return runJoin(await loadImplementation(task.impl), task.size)
    case 'codec':
      return runCodec(task.order, task.config)
    case 'churn':
      return runChurn(await loadImplementation(task.impl), task.config, log)
    case 'floor':
      return runFloor(task.config)
    case 'network': {
      const { config } = task
      const net = await buildNetwork(await loadImplementation(task.impl), config.network.size, config.network.parallel)
      await sleep(config.network.settleMs)
      const [asker, ...others] = shuffled(net.nodes)
      const out: Record<string, unknown> = {}
      if (task.suites.includes('lookups')) out['lookups'] = await runLookups(net, asker!, config)
      if (task.suites.includes('commit')) out['commit'] = await runCommit(net, asker!, config)
      if (task.suites.includes('throughput')) out['throughput'] = await runThroughput(net, others, config, log)
      return out
    }
  }
}

process.once('message', (task: Task) => {
  run(task).then(
    (result) => send({ ok: true, result, loadavg: loadavg() }),
    (err: unknown) => send({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err), loadavg: loadavg() })
  )
})

// the networks are left as they are: the process ends here, with everything in it
function send (msg: WorkerResult): void {
  process.send!(msg, () => process.exit(0))
}

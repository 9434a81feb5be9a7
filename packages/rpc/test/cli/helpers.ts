import { fileURLToPath } from 'node:url'
import type { TestContext } from 'node:test'
import { Child, run } from '../spawn.js'
import type { Exit } from '../spawn.js'

/** The built CLI, as the package's bin runs it. */
export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

/** Runs `dht-rpc ...args` to its end. */
export function dhtRpc (t: TestContext, args: readonly string[], ms?: number): Promise<Exit> {
  return run(t, [MAIN, ...args], ms)
}

/** Starts `dht-rpc ...args` and leaves it running. */
export function startDhtRpc (t: TestContext, args: readonly string[]): Child {
  return new Child(t, [MAIN, ...args])
}

/** The lines of `text`, without the empty last one. */
export function lines (text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n')
}

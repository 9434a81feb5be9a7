import type { ImplKey, Implementation } from './types.js'

/** Loads one implementation's adapter only, so a worker process holds only that implementation's code. */
export async function loadImplementation (key: ImplKey): Promise<Implementation> {
  switch (key) {
    case 'ours': return (await import('./ours.js')).ours
    case 'rc6': return (await import('./rc6.js')).rc6
    case 'v6': return (await import('./v6.js')).v6
  }
}

export * from './types.js'

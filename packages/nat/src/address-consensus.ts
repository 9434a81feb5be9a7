/**
 * AddressConsensus: the public address most peers agree they see us at, kept by
 * nat-sampler (the consensus dht-rpc 6 keeps for its host and port), and the moment that
 * agreement moves from one host to another: the network under the node changed. The NAT
 * type stays NatAnalyzer's business; this only tells that the address moved.
 */

import NatSampler from 'nat-sampler'
import type { Address } from './types.js'
import { checkAddress } from './validate.js'

// nat-sampler calls a lone sample a consensus (below 4 samples it needs all of them to
// agree, so 1 of 1 is enough): the first host agreed on needs 4 samples with at most one
// dissenting, else a single odd first report would become the baseline a move is measured from.
const MIN_SAMPLES = 4
// nat-sampler's own window: a referrer whose latest report in it said the same adds nothing
const WINDOW = 16

/** The agreed public host moved: what {@link AddressConsensus.add} returns then. */
export interface AddressChange {
  /** The host the samples agreed on before. */
  readonly previous: string
  /** The host they agree on now. */
  readonly host: string
  /** The port they agree on now, or 0 when they agree on the host only. */
  readonly port: number
}

/**
 * The public address that the latest reports agree on, after nat-sampler: with up to 16
 * samples it wants all but 1, 2 or 3 of them to agree (more dissent is allowed as more
 * samples count), so a few odd reports neither move nor break the agreement, and a move
 * is seen once most of the window reports the new host. Feed it the `to` of verified
 * messages with add(); it tells when the agreed host changes.
 */
export class AddressConsensus {
  #sampler = new NatSampler()
  #agreed: string | null = null
  // the last WINDOW samples taken, oldest overwritten first: who reported (host and port)
  // and what (host and port), in four arrays, so that taking a sample allocates nothing (a
  // node takes one from most messages of nodes it has not met)
  readonly #referrerHosts: string[] = []
  readonly #referrerPorts: number[] = []
  readonly #reportHosts: string[] = []
  readonly #reportPorts: number[] = []
  #next = 0

  /** The host the samples agree on now, or null while they do not (or are too few). */
  get host (): string | null {
    return this.#sampler.size >= MIN_SAMPLES ? this.#sampler.host : null
  }

  /** The port the samples agree on now, or 0 when they do not agree on one (a NAT that changes it). */
  get port (): number {
    return this.host === null ? 0 : this.#sampler.port
  }

  /**
   * The last host the samples agreed on, kept while they disagree: what a move is measured
   * from. Null until they first agree, and after reset().
   */
  get agreedHost (): string | null {
    return this.#agreed
  }

  /** How many samples count, at most 16. */
  get size (): number {
    return this.#sampler.size
  }

  /**
   * Records `address`, our address as `referrer` saw it. Returns the change when the
   * agreed host moved from one host to another with this sample, else null: the first
   * agreement, a spell of disagreement and a new port on the same host are no move.
   * A referrer repeating its latest report in the window is not counted again, so one
   * node cannot outvote the others by repeating itself.
   */
  add (address: Address, referrer: Address): AddressChange | null {
    checkAddress(address, 'address')
    checkAddress(referrer, 'referrer')
    if (this.#repeats(referrer, address)) return null
    this.#remember(referrer, address)
    this.#sampler.add(address.host, address.port)

    const host = this.host
    if (host === null) return null
    const previous = this.#agreed
    this.#agreed = host
    if (previous === null || previous === host) return null
    return { previous, host, port: this.port }
  }

  /** Forgets every sample and the agreed host: the next agreement is a new baseline, not a move. */
  reset (): void {
    this.#sampler = new NatSampler()
    this.#agreed = null
    this.#referrerHosts.length = 0
    this.#referrerPorts.length = 0
    this.#reportHosts.length = 0
    this.#reportPorts.length = 0
    this.#next = 0
  }

  // true when the latest report of `referrer` within the window is `address`
  #repeats (referrer: Address, address: Address): boolean {
    const n = this.#referrerHosts.length
    for (let i = 1; i <= n; i++) {
      const slot = (this.#next - i + WINDOW) % WINDOW
      if (this.#referrerPorts[slot] !== referrer.port || this.#referrerHosts[slot] !== referrer.host) continue
      return this.#reportPorts[slot] === address.port && this.#reportHosts[slot] === address.host
    }
    return false
  }

  #remember (referrer: Address, address: Address): void {
    const slot = this.#next
    this.#referrerHosts[slot] = referrer.host
    this.#referrerPorts[slot] = referrer.port
    this.#reportHosts[slot] = address.host
    this.#reportPorts[slot] = address.port
    this.#next = (slot + 1) % WINDOW
  }
}

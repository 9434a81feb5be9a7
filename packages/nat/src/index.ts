/**
 * @packageDocumentation
 * @dht/nat: classify a node's NAT from the addresses other nodes report seeing it at,
 * with results equal to those of dht-rpc 5.0.0-rc.6 on the same samples, and tell when the
 * public address those samples agree on moves (AddressConsensus, over nat-sampler). No I/O,
 * no clock.
 *
 * @example
 * ```ts
 * import { NatAnalyzer, NAT_PORT_CONSISTENT } from '@dht/nat'
 *
 * const nat = new NatAnalyzer()
 * nat.add({ host: '203.0.113.7', port: 49737 }, { host: '198.51.100.1', port: 49737 })
 * nat.add({ host: '203.0.113.7', port: 49737 }, { host: '198.51.100.2', port: 49737 })
 * nat.add({ host: '203.0.113.7', port: 49737 }, { host: '198.51.100.3', port: 49737 })
 *
 * const { type, host, port } = nat.analyze()
 * type === NAT_PORT_CONSISTENT // true; host '203.0.113.7', port 49737
 * ```
 */

export { AddressConsensus } from './address-consensus.js'
export type { AddressChange } from './address-consensus.js'
export { NatAnalyzer } from './analyzer.js'
export { NatError, isNatError } from './errors.js'
export type { NatErrorCode } from './errors.js'
export {
  NAT_OPEN,
  NAT_PORT_CONSISTENT,
  NAT_PORT_INCREMENTING,
  NAT_PORT_RANDOMIZED,
  NAT_UNKNOWN
} from './nat-type.js'
export type { NatType } from './nat-type.js'
export type { Address, NatAnalysis, NatAnalyzerOptions, NatSample } from './types.js'

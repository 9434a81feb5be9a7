import test from 'node:test'
import {
  NAT_PORT_CONSISTENT,
  NAT_PORT_INCREMENTING,
  NAT_PORT_RANDOMIZED,
  NAT_UNKNOWN
} from '@dht/nat'
import { HOST_A, HOST_B, HOST_C, HOST_D, assertAnalysis, ports, repeat } from './support/samples.js'
import type { Seen } from './support/samples.js'

const UNKNOWN = { type: NAT_UNKNOWN, host: null, port: 0 }

test('a minority of lying referrers does not move the host', () => {
  const liars: Seen = [[HOST_B, 5000], [HOST_C, 5000], [HOST_D, 5000]]
  assertAnalysis([...repeat(HOST_A, 5000, 13), ...liars], { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 5000 })
  assertAnalysis([...liars, ...repeat(HOST_A, 5000, 4)], { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 5000 })
})

test('lying ports are outliers like any other: three are dropped, more are not', () => {
  const liars: Seen = [[HOST_B, 7], [HOST_B, 31000], [HOST_C, 64000]]
  assertAnalysis([...repeat(HOST_A, 5000, 13), ...liars], { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 5000 })
  assertAnalysis([...repeat(HOST_A, 5000, 12), ...liars, [HOST_D, 42000]], { type: NAT_PORT_INCREMENTING, host: HOST_A, port: 0 })
})

test('quirk: ports reported with another host still count in the port analysis', () => {
  assertAnalysis([[HOST_A, 1000], [HOST_A, 1000], [HOST_B, 2000], [HOST_C, 3000]], { type: NAT_PORT_RANDOMIZED, host: HOST_A, port: 0 })
})

test('host consensus needs half of the samples, rounded down', () => {
  // 3 samples: 1 is half rounded down, so any host passes and the first one wins.
  assertAnalysis(ports(HOST_A, [1000]).concat(ports(HOST_B, [1000]), ports(HOST_C, [1000])),
    { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 1000 })
  // 4 samples: 2 needed.
  assertAnalysis([[HOST_A, 1000], [HOST_B, 1000], [HOST_A, 1000], [HOST_C, 1000]], { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 1000 })
  assertAnalysis([[HOST_A, 1000], [HOST_B, 1000], [HOST_C, 1000], [HOST_D, 1000]], UNKNOWN)
  // 5 samples: 2 of 5 is enough.
  assertAnalysis([[HOST_B, 1000], [HOST_C, 1000], [HOST_A, 1000], [HOST_D, 1000], [HOST_A, 1000]],
    { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 1000 })
  // 6 samples: 3 needed.
  assertAnalysis([...repeat(HOST_A, 1000, 3), [HOST_B, 1000], [HOST_C, 1000], [HOST_D, 1000]],
    { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 1000 })
  assertAnalysis([...repeat(HOST_A, 1000, 2), ...repeat(HOST_B, 1000, 2), [HOST_C, 1000], [HOST_D, 1000]], UNKNOWN)
  // 16 samples: 8 needed.
  assertAnalysis([...repeat(HOST_A, 1000, 8), ...repeat(HOST_B, 1000, 4), ...repeat(HOST_C, 1000, 4)],
    { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 1000 })
  assertAnalysis([...repeat(HOST_A, 1000, 7), ...repeat(HOST_B, 1000, 5), ...repeat(HOST_C, 1000, 4)], UNKNOWN)
})

test('on a tie, the host that first reaches the top count in slot order wins', () => {
  assertAnalysis([[HOST_A, 1000], [HOST_B, 1000], [HOST_A, 1000], [HOST_B, 1000]], { type: NAT_PORT_CONSISTENT, host: HOST_A, port: 1000 })
  assertAnalysis([[HOST_A, 1000], [HOST_B, 1000], [HOST_B, 1000], [HOST_A, 1000]], { type: NAT_PORT_CONSISTENT, host: HOST_B, port: 1000 })
})

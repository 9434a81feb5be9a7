import test from 'node:test'
import {
  NAT_PORT_CONSISTENT,
  NAT_PORT_INCREMENTING,
  NAT_PORT_RANDOMIZED
} from '@dht/nat'
import { HOST_A, assertAnalysis, ports, repeat } from './support/samples.js'

const CONSISTENT_A = (port: number) => ({ type: NAT_PORT_CONSISTENT, host: HOST_A, port })
const INCREMENTING_A = { type: NAT_PORT_INCREMENTING, host: HOST_A, port: 0 }
const RANDOMIZED_A = { type: NAT_PORT_RANDOMIZED, host: HOST_A, port: 0 }

test('at 6 samples, 3 high outliers are dropped and the rest is consistent', () => {
  assertAnalysis([...repeat(HOST_A, 1000, 3), ...ports(HOST_A, [9000, 20000, 30000])], CONSISTENT_A(1000))
})

test('at 16 samples, 3 outliers on both sides are dropped', () => {
  assertAnalysis([...ports(HOST_A, [5]), ...repeat(HOST_A, 1000, 13), ...ports(HOST_A, [30000, 60000])], CONSISTENT_A(1000))
  assertAnalysis([...ports(HOST_A, [60000, 7, 31000]), ...repeat(HOST_A, 1000, 13)], CONSISTENT_A(1000))
})

test('no more than 3 outliers are dropped: a 4th one breaks consistency', () => {
  assertAnalysis([...repeat(HOST_A, 1000, 12), ...ports(HOST_A, [9000, 20000, 30000, 40000])], INCREMENTING_A)
})

test('at 5 samples nothing is dropped: one outlier makes it incrementing, not consistent', () => {
  assertAnalysis([...repeat(HOST_A, 1000, 4), [HOST_A, 60000]], INCREMENTING_A)
  assertAnalysis([...repeat(HOST_A, 1000, 3), ...ports(HOST_A, [30000, 60000])], INCREMENTING_A)
})

test('at 5 samples, the outliers count in the median distance', () => {
  assertAnalysis([...ports(HOST_A, [100, 200]), ...repeat(HOST_A, 1000, 2), [HOST_A, 50000]], RANDOMIZED_A)
  assertAnalysis([...ports(HOST_A, [900, 950]), ...repeat(HOST_A, 1000, 2), [HOST_A, 50000]], INCREMENTING_A)
})

// rc.6 reads the trimmed median from the start of the full sorted array; these pin that quirk.
test('quirk: outliers trimmed from the low end shift the median down', () => {
  // A correct trimmed median would be 5000 (consistent); rc.6 takes 200.
  assertAnalysis([...ports(HOST_A, [100, 200, 300]), ...repeat(HOST_A, 5000, 3)], INCREMENTING_A)
  // Half the samples agree on 60000, yet rc.6 measures from 20000.
  assertAnalysis([...ports(HOST_A, [100, 20000, 40000]), ...repeat(HOST_A, 60000, 3)], RANDOMIZED_A)
})

test('quirk: the consistency check reads the distance-sorted array, trimmed outliers included', () => {
  // The kept window is [1000, 1001, 1001], yet three samples on 1000 (one of them trimmed)
  // are enough for rc.6 to call it consistent on 1000.
  assertAnalysis([...repeat(HOST_A, 1000, 3), ...repeat(HOST_A, 1001, 2), [HOST_A, 60000]], CONSISTENT_A(1000))
  // Here the kept window is three samples on 1001, and rc.6 reports 1000.
  assertAnalysis([...repeat(HOST_A, 1001, 3), ...repeat(HOST_A, 1000, 3)], CONSISTENT_A(1000))
})

import test from 'node:test'
import { NAT_PORT_INCREMENTING, NAT_PORT_RANDOMIZED } from '@dht/nat'
import { HOST_A, assertAnalysis, ports } from './support/samples.js'

const INCREMENTING_A = { type: NAT_PORT_INCREMENTING, host: HOST_A, port: 0 }
const RANDOMIZED_A = { type: NAT_PORT_RANDOMIZED, host: HOST_A, port: 0 }

test('a median distance of 199 is incrementing, 200 is randomized', () => {
  assertAnalysis(ports(HOST_A, [1000, 1199, 1398]), INCREMENTING_A)
  assertAnalysis(ports(HOST_A, [1000, 1200, 1400]), RANDOMIZED_A)
})

test('the median distance threshold with outliers dropped (7 samples)', () => {
  // 4 kept after trimming, median read as 1000; sorted distances [0, 199, 199, 199, ...]: index 2 is 199
  assertAnalysis(ports(HOST_A, [801, 801, 1000, 1199, 1199, 30000, 60000]), INCREMENTING_A)
  assertAnalysis(ports(HOST_A, [800, 800, 1000, 1200, 1200, 30000, 60000]), RANDOMIZED_A)
})

test('the threshold holds at both ends of the port range', () => {
  assertAnalysis(ports(HOST_A, [0, 199, 398]), INCREMENTING_A)
  assertAnalysis(ports(HOST_A, [65335, 65535, 65135]), RANDOMIZED_A)
})

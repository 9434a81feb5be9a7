/**
 * @packageDocumentation
 * Deterministic stand-ins for tests and simulations: a clock that moves only when told and a
 * seeded source of randomness. Never loaded by a production node.
 */
export { ManualClock } from './manual-clock.js'
export { SeededRandom } from './seeded-random.js'

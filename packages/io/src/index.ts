/**
 * @packageDocumentation
 * @dht/io is not built yet: this shell only holds its place in the dependency order.
 */
export const PACKAGE_NAME = '@dht/io'

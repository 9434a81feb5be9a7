/**
 * @packageDocumentation
 * @dht/nat is not built yet: this shell only holds its place in the dependency order.
 */
export const PACKAGE_NAME = '@dht/nat'

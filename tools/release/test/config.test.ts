import test from 'node:test'
import assert from 'node:assert/strict'
import { foreignSources, npmEnv, npmrc, verdaccioConfig } from '../src/config.js'

test('verdaccioConfig: the scope has no proxy, everything else goes through the uplink', () => {
  const yaml = verdaccioConfig({ dir: '/tmp/r', scope: '@dht', uplink: 'https://registry.npmjs.org/' })
  assert.match(yaml, /^storage: "\/tmp\/r\/storage"$/m)
  assert.match(yaml, /^ {4}file: "\/tmp\/r\/htpasswd"$/m)
  assert.match(yaml, /^uplinks:\n {2}upstream:\n {4}url: "https:\/\/registry\.npmjs\.org\/"$/m)
  const scoped = /^ {2}"@dht\/\*":\n((?: {4}.*\n)+)/m.exec(yaml)?.[1] ?? ''
  assert.equal(scoped, '    access: $all\n    publish: $authenticated\n')
  assert.match(yaml, /^ {2}'\*\*':\n {4}access: \$all\n {4}publish: \$authenticated\n {4}proxy: upstream$/m)
  assert.match(yaml, /^web:\n {2}enable: false$/m)

  const offline = verdaccioConfig({ dir: '/tmp/r', scope: '@dht', uplink: null })
  assert.doesNotMatch(offline, /uplinks|proxy/)
})

test('npmrc names the registry for everything and for the scope, with the token for its host and path', () => {
  assert.equal(npmrc('http://127.0.0.1:4873/', '@dht', 'abc'), 'registry=http://127.0.0.1:4873/\n@dht:registry=http://127.0.0.1:4873/\n//127.0.0.1:4873/:_authToken=abc\n')
  assert.equal(npmrc('http://127.0.0.1:4873/npm/', '@dht', null), 'registry=http://127.0.0.1:4873/npm/\n@dht:registry=http://127.0.0.1:4873/npm/\n')
})

test('npmEnv drops every inherited npm or pnpm setting and token, keeps the rest, and sets ours', () => {
  const base = {
    PATH: '/usr/bin',
    HOME: '/root',
    npm_config_registry: 'https://registry.npmjs.org/',
    NPM_CONFIG_USERCONFIG: '/root/.npmrc',
    npm_config__authToken: 'secret',
    pnpm_config_registry: 'https://example.com/',
    NODE_AUTH_TOKEN: 'secret',
    NPM_TOKEN: 'secret',
    npm_package_name: 'dht-monorepo'
  }
  const env = npmEnv(base, 'http://127.0.0.1:4873/', { userconfig: '/t/user.npmrc', globalconfig: '/t/global.npmrc', cache: '/t/cache' })
  assert.deepEqual(env, {
    PATH: '/usr/bin',
    HOME: '/root',
    npm_package_name: 'dht-monorepo',
    npm_config_registry: 'http://127.0.0.1:4873/',
    npm_config_userconfig: '/t/user.npmrc',
    npm_config_globalconfig: '/t/global.npmrc',
    npm_config_cache: '/t/cache',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false'
  })
})

test('foreignSources lists the scope\'s packages that did not come from the registry, nested ones too', () => {
  const registry = 'http://127.0.0.1:4873/'
  const lock = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'app' },
      'node_modules/@dht/rpc': { resolved: 'http://127.0.0.1:4873/@dht/rpc/-/rpc-0.1.0.tgz' },
      'node_modules/@dht/wire': { resolved: 'https://registry.npmjs.org/@dht/wire/-/wire-0.1.0.tgz' },
      'node_modules/@dht/rpc/node_modules/@dht/io': { resolved: 'file:../io.tgz' },
      'node_modules/@dht/table': { link: true },
      'node_modules/@dht/nat': {},
      'node_modules/b4a': { resolved: 'https://registry.npmjs.org/b4a/-/b4a-1.9.0.tgz' }
    }
  }
  assert.deepEqual(foreignSources(lock, '@dht', registry), [
    '@dht/wire: https://registry.npmjs.org/@dht/wire/-/wire-0.1.0.tgz',
    '@dht/io: file:../io.tgz',
    '@dht/table: a link',
    '@dht/nat: nowhere recorded'
  ])
  assert.deepEqual(foreignSources({ packages: { 'node_modules/@dht/rpc': { resolved: `${registry}@dht/rpc/-/rpc-0.1.0.tgz` } } }, '@dht', registry), [])
  assert.deepEqual(foreignSources({}, '@dht', registry), ['package-lock.json lists no packages'])
})

import test from 'node:test'
import assert from 'node:assert/strict'
import { blankComments, findImports } from '../src/imports.js'

const specifiers = (source: string): string[] => findImports(source).map((ref) => ref.specifier)

test('every import form is found, in order, with its line', () => {
  const source = [
    "import a from 'a'",
    "import { b1, b2 } from \"b\"",
    "import type { C } from 'c'",
    "import * as d from 'd'",
    "import 'e'",
    "export * from 'f'",
    "export { g } from 'g'",
    "export type { H } from 'h'",
    "const i = await import('i')",
    'let j: typeof import(`j`)',
    "import k = require('k')",
    "import {",
    "  l1,",
    "  l2",
    "} from 'l'",
    "export * as m from 'm' with { type: 'json' }",
    "import{n}from'n'"
  ].join('\n')
  assert.deepEqual(findImports(source).map((ref) => `${ref.line}:${ref.specifier}`), [
    '1:a', '2:b', '3:c', '4:d', '5:e', '6:f', '7:g', '8:h', '9:i', '10:j', '11:k', '15:l', '16:m', '17:n'
  ])
})

test('declarations, strings and comments are not imports', () => {
  const source = [
    "export const a = 'x'",
    "export default 'y'",
    "export function f (from: string) { return from }",
    "const s = \"import z from 'z'\"",
    '// import a from \'comment\'',
    "/* export * from 'block' */",
    'obj.import(\'method\')',
    'reimport(\'word\')'
  ].join('\n')
  assert.deepEqual(specifiers(source), [])
})

test('an export without semicolons before an import does not hide it or shift its line', () => {
  const source = "export function f () {\n  return 1\n}\nimport x from 'x'\n"
  assert.deepEqual(findImports(source), [{ specifier: 'x', line: 4 }])
})

test('triple-slash references are read', () => {
  const source = '/// <reference path="../../io/src/vendor.d.ts" />\n/// <reference types="node" />\n'
  assert.deepEqual(specifiers(source), ['../../io/src/vendor.d.ts', 'node'])
})

test('blankComments keeps positions and strings', () => {
  const source = "a // b\n/* c\n d */ 'e // f' `g /* h */`"
  const out = blankComments(source)
  assert.equal(out.length, source.length)
  assert.equal(out, "a     \n    \n      'e // f' `g /* h */`")
})

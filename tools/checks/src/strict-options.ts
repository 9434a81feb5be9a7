/**
 * The compiler options of a user's strict TypeScript project, as strict as our own
 * tsconfig.base.json: what our published types and README code are checked against.
 * Callers add what their use needs (emit, library checking).
 */
export const STRICT_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  types: ['node'],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true
} as const

/**
 * The TypeDoc run: every package converted from its own sources with its own tsconfig.json
 * (entryPointStrategy "packages"), so each package gets one page with its README.md and
 * its exports, and a subpath entry (`@dht/rpc/testnet`) a page of its own under it.
 * Entries come from each package.json's `exports`, which TypeDoc maps back to the sources;
 * what a package imports from the others is read from their built declarations, so the
 * packages must be built first.
 *
 * Validation is strict: an export without a comment, a link that does not resolve and a
 * type the API uses but does not export are warnings, and any warning fails the build.
 */

import { join, relative } from 'node:path'
import { Application, Converter, PackageJsonReader, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc'
import type { Context, Logger, Options, OptionsReader, ProjectReflection, TypeDocOptions } from 'typedoc'
import { importPath } from './entries.js'
import { nameCodeHeadings } from './markdown.js'
import type { DocPackage } from './entries.js'

/** What to document and where to write it. */
export interface DocsOptions {
  /** The repository root: where the packages' folders and the README.md of the index page are. */
  readonly root: string
  readonly packages: readonly DocPackage[]
  /** The folder to write the HTML to (emptied first). */
  readonly out: string
  /** Receives TypeDoc's messages instead of the console (tests). */
  readonly logger?: Logger
}

/** How the run went. */
export interface DocsResult {
  /** No warning, no error, every entry documented: the reference is complete. */
  readonly ok: boolean
  readonly warnings: number
  readonly errors: number
  /** Entries (`@dht/rpc/testnet`) that have no page: TypeDoc could not map them to a source. */
  readonly missing: readonly string[]
}

const VALIDATION = { notExported: true, invalidLink: true, notDocumented: true }

/**
 * Types that a package's documented API refers to but that it deliberately does not export,
 * by package folder; the reference names each without a page of its own.
 */
const NOT_EXPORTED: Readonly<Record<string, readonly string[]>> = {
  // the helper type behind IncomingRequest and IncomingReply (their bytes are Buffers)
  'packages/io': ['WithBuffers'],
  // the type of Lookup.replies: a reply with a verified id
  'packages/query': ['IdentifiedReply'],
  // @internal: what a DHTRequest needs from its node, which DHT implements
  'packages/rpc': ['Replier']
}

// TypeDoc's own list, and ini for the systemd unit in @dht/rpc's README (a code block in a
// language not on the list is a warning, and every warning fails the build)
const HIGHLIGHT_LANGUAGES = ['bash', 'console', 'css', 'html', 'javascript', 'json', 'jsonc', 'json5', 'yaml', 'tsx', 'typescript', 'ini']

/** Converts, validates and writes the reference; see {@link DocsResult}. */
export async function buildDocs (options: DocsOptions): Promise<DocsResult> {
  const typedoc: TypeDocOptions = {
    entryPointStrategy: 'packages',
    entryPoints: options.packages.map((pkg) => join(options.root, pkg.dir)),
    out: options.out,
    name: '@dht',
    readme: join(options.root, 'README.md'),
    validation: VALIDATION,
    highlightLanguages: HIGHLIGHT_LANGUAGES,
    navigation: { includeFolders: false },
    markdownItLoader: nameCodeHeadings,
    // a module for a package even when there is only one (the tests' fixtures)
    alwaysCreateEntryPointModule: true,
    // Each package is converted with these options (the root ones above are not inherited).
    packageOptions: {
      validation: VALIDATION,
      // what a comment marks @internal is not part of the API
      excludeInternal: true,
      // `pnpm build` type-checks with TypeScript 7; TypeDoc's TypeScript 5.9 only reads
      skipErrorChecking: true,
      // the repository has no hosted remote to link sources to (a clean clone's origin is a path)
      disableSources: true
    }
  }
  const readers = [new TypeDocReader(), new PackageJsonReader(), new TSConfigReader(), new PackageExceptions(options.root)]
  const app = await Application.bootstrapWithPlugins(typedoc, readers)
  if (options.logger !== undefined) app.logger = options.logger
  // A package with several entries has a module for each, and its "." entry's one is
  // named "": merge it into the package, so the package's page lists its main exports.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, mergeMainEntry)

  const project = await app.convert()
  const missing: string[] = []
  for (const pkg of options.packages) {
    for (const entry of pkg.entries) {
      if (project === undefined || !documents(project, pkg.name, entry)) missing.push(importPath(pkg.name, entry))
    }
  }
  if (project !== undefined) {
    app.validate(project)
    for (const path of missing) app.logger.error(`${path} is exported by its package.json but has no page in the reference`)
    await app.generateOutputs(project)
  }
  // any warning fails the build (the CLI's treatWarningsAsErrors, over the whole run)
  const { warningCount: warnings, errorCount: errors } = app.logger
  return { ok: project !== undefined && warnings === 0 && errors === 0, warnings, errors, missing }
}

function mergeMainEntry (context: Context): void {
  const project = context.project
  const main = project.children?.find((child) => child.kindOf(ReflectionKind.Module) && child.name === '')
  if (main === undefined) return
  // the entry's @packageDocumentation comment becomes the package's, as with a single entry
  if (project.comment === undefined && main.comment !== undefined) project.comment = main.comment
  project.mergeReflections(main, project)
}

// A package is a module of the project (`@dht/rpc`), a subpath entry a module inside it (`testnet`).
function documents (project: ProjectReflection, name: string, entry: string): boolean {
  const pkg = project.getChildByName([name])
  if (pkg === undefined || !pkg.kindOf(ReflectionKind.Module)) return false
  if (entry === '.') return true
  return pkg.getChildByName([entry.replace(/^\.\//, '')])?.kindOf(ReflectionKind.Module) === true
}

// Reads a package's entry of NOT_EXPORTED into its options: a list given in packageOptions
// would apply to every package, and each package that does not use a name warns about it.
class PackageExceptions implements OptionsReader {
  readonly name = 'dht-package-exceptions'
  readonly order = 250 // after typedoc.json, package.json and tsconfig.json
  readonly supportsPackages = true
  constructor (private readonly root: string) {}

  read (container: Options, _logger: Logger, cwd: string): void {
    const names = NOT_EXPORTED[relative(this.root, cwd).split('\\').join('/')]
    if (names !== undefined) container.setValue('intentionallyNotExported', [...names])
  }
}

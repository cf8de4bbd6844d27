/**
 * Types for `package-zendesk.mjs` when imported (its command line is described in its header).
 */

/** A missing file or bundle, or a broken Zendesk rule; `exitCode` is what the command line exits with. */
export declare class PackagingError extends Error {
  constructor(message: string, options?: { usage?: boolean });
  /** 2 for a bad command line, 1 for anything else. */
  readonly exitCode: 1 | 2;
}

export interface ZendeskPackageOptions {
  /** Where top-bar.js, background.js and sidebar.js are; default connectors/zendesk/dist (built when missing). */
  readonly bundles?: string;
  /** The app folder; default manifests/zendesk. */
  readonly app?: string;
}

/**
 * The Zendesk app package exactly as `npm run package:zendesk` makes it, in memory and checked against Zendesk's
 * documented rules before and after zipping. Writes nothing.
 *
 * @throws {PackagingError}
 */
export declare function buildZendeskPackage(options?: ZendeskPackageOptions): { readonly zip: Uint8Array; readonly fileCount: number };

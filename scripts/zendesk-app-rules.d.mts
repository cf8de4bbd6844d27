/**
 * Types for `zendesk-app-rules.mjs`: local checks of a Zendesk Apps framework (ZAF v2) package against Zendesk's
 * documented rules, shared by `scripts/package-zendesk.mjs` and the connector's tests.
 */

/** One broken rule. */
export interface ZendeskAppIssue {
  /** Stable rule code, e.g. `top_bar_size_out_of_bounds`; tests and callers branch on this, never on `message`. */
  readonly code: ZendeskAppIssueCode;
  /** What is wrong, for a person. */
  readonly message: string;
  /** The Zendesk page (or Zendesk validator source) the rule comes from. */
  readonly doc: string;
  /** Zip-root-relative path of the offending file, when one file is at fault. */
  readonly path?: string;
}

export type ZendeskAppIssueCode =
  | 'forbidden_file'
  | 'unsupported_asset_type'
  | 'package_too_large'
  | 'missing_manifest'
  | 'nested_manifest'
  | 'manifest_not_json'
  | 'missing_field'
  | 'invalid_field_type'
  | 'invalid_author'
  | 'invalid_framework_version'
  | 'invalid_default_locale'
  | 'invalid_host'
  | 'invalid_location'
  | 'blank_location_uri'
  | 'invalid_location_uri'
  | 'invalid_location_option'
  | 'invalid_location_size'
  | 'top_bar_size_out_of_bounds'
  | 'missing_location_icon'
  | 'invalid_svg_icon'
  | 'unsafe_svg'
  | 'invalid_parameter_name'
  | 'duplicate_parameter'
  | 'invalid_parameter_type'
  | 'invalid_parameter_flag'
  | 'hidden_parameter_required'
  | 'secure_parameter_default'
  | 'insecure_token_parameter'
  | 'oauth_parameter_secure'
  | 'too_many_oauth_parameters'
  | 'missing_domain_whitelist'
  | 'invalid_whitelist_domain'
  | 'invalid_translation_file'
  | 'translation_not_json'
  | 'missing_default_translation'
  | 'missing_translation'
  | 'translation_too_long'
  | 'missing_asset'
  | 'invalid_png'
  | 'wrong_png_size'
  | 'logo_not_rgba'
  | 'broken_asset_reference';

/** Zendesk's pages the rules cite. */
export declare const DOCS: Readonly<Record<string, string>>;

/** The documented numbers the rules enforce. */
export declare const LIMITS: {
  readonly maxZipBytes: number;
  readonly callConsole: { readonly minWidth: number; readonly maxWidth: number; readonly minHeight: number; readonly maxHeight: number };
  readonly logos: Readonly<Record<string, number>>;
  readonly maxNameChars: number;
  readonly maxShortDescriptionChars: number;
};

/**
 * Checks a package and returns every broken rule; an empty list means it passes.
 * @param files zip-root-relative POSIX paths → bytes (fflate's `unzipSync` shape); entries ending in `/` are ignored.
 * @param options.zipSize the zip's size in bytes, checked against the upload limit.
 */
export declare function validateZendeskApp(
  files: Readonly<Record<string, Uint8Array>>,
  options?: { readonly zipSize?: number },
): ZendeskAppIssue[];

/** Issues one a line, for a terminal. */
export declare function formatIssues(issues: readonly ZendeskAppIssue[]): string;

/** Width, height, bit depth and colour type from a PNG's IHDR chunk, or `null` when the bytes are not a PNG. */
export declare function readPngHeader(
  bytes: Uint8Array,
): { width: number; height: number; bitDepth: number; colorType: number } | null;

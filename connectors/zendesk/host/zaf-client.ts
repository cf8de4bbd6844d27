/**
 * The part of the ZAF client (Zendesk Apps framework v2 SDK) the Sambung app uses, as an interface so the
 * adapter, the background relay and the sidebar run in node against an in-memory fake. The real client comes
 * from `initZafClient()` in `zaf-sdk.ts`, which is the only module that loads the SDK.
 *
 * Semantics follow the SDK source (`zendesk_app_framework_sdk/lib/client.js`) and the Core/Support Apps API
 * pages (developer.zendesk.com/api-reference/apps/apps-core-api/core_api/):
 * - `get(path)` resolves `{ [path]: value }`, and rejects when that path errored;
 * - `invoke(action, ...args)` resolves `{ [action]: result }`;
 * - `on`/`off` subscribe to framework events (`app.registered`, `voice.dialout`, …) and to custom events
 *   another instance raised with `instance(guid).trigger(name, data)`;
 * - `request()` goes through Zendesk's proxy (`cors: false`), which is the only place secure settings
 *   (`{{setting.tenant_key}}`) are substituted.
 */

export type ZafEventHandler = (payload: any) => void;

export interface ZafClient {
  get(path: string | string[]): Promise<Record<string, unknown>>;
  invoke(action: string, ...args: unknown[]): Promise<Record<string, unknown>>;
  on(event: string, handler: ZafEventHandler): void;
  off(event: string, handler: ZafEventHandler): unknown;
  trigger(event: string, payload?: unknown): void;
  instance(instanceGuid: string): ZafClient;
  metadata(): Promise<ZafMetadata>;
  context(): Promise<ZafContext>;
  request(options: ZafRequestOptions): Promise<unknown>;
}

/** `client.metadata()`: the installation. `settings` holds the non-secure parameters only. */
export interface ZafMetadata {
  readonly appId?: number;
  readonly installationId?: number;
  readonly name?: string;
  readonly version?: string;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** `client.context()`: where this instance runs. */
export interface ZafContext {
  readonly instanceGuid?: string;
  readonly product?: string;
  /** `top_bar`, `background`, `ticket_sidebar`, `user_sidebar`, … */
  readonly location?: string;
  readonly account?: { readonly subdomain?: string };
}

/** One entry of `client.get('instances').instances`, keyed by instance GUID. */
export interface ZafInstanceInfo {
  readonly instanceGuid?: string;
  readonly location?: string;
}

/** The jQuery-style options `client.request()` accepts (the subset Sambung sends). */
export interface ZafRequestOptions {
  readonly url: string;
  readonly type?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly data?: string | Readonly<Record<string, unknown>>;
  readonly contentType?: string;
  readonly dataType?: 'json' | 'text';
  /** `true`: Zendesk substitutes `{{setting.<secure parameter>}}` server-side. Needs `cors: false`. */
  readonly secure?: boolean;
  /** `false` (the default for non-Zendesk URLs): send through Zendesk's proxy instead of from the browser. */
  readonly cors?: boolean;
}

/** The instances of this app in the agent's browser tab, from `client.get('instances')`. */
export function instancesFrom(result: Record<string, unknown>): { guid: string; location: string }[] {
  const instances = result['instances'];
  if (typeof instances !== 'object' || instances === null) return [];
  const found: { guid: string; location: string }[] = [];
  for (const [guid, info] of Object.entries(instances as Record<string, unknown>)) {
    const location = typeof info === 'object' && info !== null ? (info as ZafInstanceInfo).location : undefined;
    if (typeof location === 'string') found.push({ guid, location });
  }
  return found;
}

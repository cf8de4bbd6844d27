/**
 * Types for the ZAF SDK 2.0.x (`zendesk_app_framework_sdk`, CommonJS `lib/index.js`), written from its source
 * (`lib/client.js`): only the members the Sambung app uses. The SDK itself is bundled into each location's
 * script by `scripts/build-zendesk.mjs`, because Zendesk's CDN copy is not reachable from every deployment.
 */
declare module 'zendesk_app_framework_sdk' {
  export interface ZafSdkClient {
    /** Resolves `{ [path]: value }`; a singular path that errored rejects. Times out after 5 s. */
    get(path: string | string[]): Promise<Record<string, unknown>>;
    set(key: string, value: unknown): Promise<Record<string, unknown>>;
    /** `invoke('popover', 'show')` → `{ popover: … }`. Times out after 5 s (except `instances.create`). */
    invoke(action: string, ...args: unknown[]): Promise<Record<string, unknown>>;
    on(event: string, handler: (payload: any) => void, context?: unknown): void;
    off(event: string, handler: (payload: any) => void): unknown;
    has(event: string, handler: (payload: any) => void): boolean;
    trigger(event: string, payload?: unknown): void;
    /** A client whose get/invoke/trigger address another instance of the same app. */
    instance(instanceGuid: string): ZafSdkClient;
    metadata(): Promise<any>;
    context(): Promise<any>;
    /** Sent through Zendesk (proxy unless `cors: true`). Never times out on its own. */
    request(options: string | object): Promise<any>;
    postMessage(name: string, data?: unknown): void;
  }

  const ZAFClient: {
    /** `false` when the page was not opened by Zendesk (no `origin`/`app_guid` in the query or hash). */
    init(callback?: (context: unknown) => void): ZafSdkClient | false;
  };
  export default ZAFClient;
}

/**
 * Reads the widget's options from its `<script>` element. Pure apart from the element getter, so it is unit
 * tested with a plain object.
 */
import type { WidgetOptions } from '../handshake.js';

export interface ScriptLike {
  readonly src: string;
  getAttribute(name: string): string | null;
}

/** `null` when the tag lacks `data-tenant` or `data-queue` (nothing to call). */
export function readOptions(script: ScriptLike): WidgetOptions | null {
  const get = (name: string): string => (script.getAttribute(`data-${name}`) || '').trim();
  const tenant = get('tenant');
  const queue = get('queue');
  if (!tenant || !queue || !script.src) return null;
  return {
    tenant,
    queue,
    mode: get('mode') === 'direct' ? 'direct' : 'form',
    label: get('label').slice(0, 60) || 'Call us',
    // The bridge serves the loader at its root; API paths and the bundle resolve against the same base, so a
    // bridge mounted under a path prefix (https://cdn.example/sambung/widget.js) works too.
    bridgeUrl: new URL('./', script.src).href,
  };
}

/** The call bundle sits next to the loader: `{base}/widget/call.js`. */
export function bundleUrl(scriptSrc: string): string {
  return new URL('widget/call.js', scriptSrc).href;
}

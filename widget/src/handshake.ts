/**
 * The contract between the tiny loader (`widget.js`) and the call bundle (`widget/call.js`). Types only.
 *
 * 1. The loader draws the launcher inside an open Shadow DOM and, on the first click, appends
 *    `<script src="{loader src}/../widget/call.js" data-sambung-bundle>` to the document head.
 * 2. When the bundle runs it registers `window.SambungCall` ({@link SambungCallApi}, `version: 1`). It has no
 *    other side effect on the host page.
 * 3. The loader calls `window.SambungCall.mount(shadowRoot, options)` once per launcher and keeps the
 *    returned {@link CallWidgetHandle}; every later launcher click calls `handle.toggle()`.
 *
 * A page may carry several loaders (one per queue); they share one bundle download and mount separately.
 */

/** What the loader reads from its own `<script>` element. */
export interface WidgetOptions {
  /** `data-tenant`. */
  readonly tenant: string;
  /** `data-queue`. */
  readonly queue: string;
  /** `data-mode`: `form` asks for name/phone/e-mail first, `direct` calls straight away. */
  readonly mode: 'form' | 'direct';
  /** `data-label`, the launcher's text, also the panel's accessible name. */
  readonly label: string;
  /** The bridge's base URL with a trailing slash, derived from the loader's `src` (API paths resolve on it). */
  readonly bridgeUrl: string;
}

export interface MountOptions extends WidgetOptions {
  /** The launcher button (inside `root`); the bundle updates its `aria-expanded` and active-call badge. */
  readonly launcher: HTMLButtonElement;
}

export interface CallWidgetHandle {
  readonly isOpen: boolean;
  open(): void;
  /** Hides the panel; an ongoing call continues (the launcher shows it). */
  close(): void;
  toggle(): void;
  /** Ends any call and removes the panel. Idempotent. */
  destroy(): void;
}

export interface SambungCallApi {
  readonly version: 1;
  mount(root: ShadowRoot, options: MountOptions): CallWidgetHandle;
}

declare global {
  interface Window {
    SambungCall?: SambungCallApi;
  }
}

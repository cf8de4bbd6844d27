/**
 * `widget.js` — the tiny, dependency-free loader a company pastes into its site:
 *
 * ```html
 * <script src="https://bridge.example/widget.js" data-tenant="demo" data-queue="sales"
 *         data-mode="form|direct" data-label="Call us" async></script>
 * ```
 *
 * It draws the click-to-call button in an open Shadow DOM (so the page's CSS cannot touch it), and on the
 * first click loads `widget/call.js` and hands over; see `../handshake.ts` for that contract.
 */
import type { CallWidgetHandle, SambungCallApi } from '../handshake.js';
import { bundleUrl, readOptions } from './loader-options.js';

const CSS =
  ':host{all:initial!important}' +
  '.l{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:inline-flex;align-items:center;gap:8px;' +
  'box-sizing:border-box;min-width:56px;min-height:56px;margin:0;padding:0 22px 0 18px;border:0;border-radius:28px;' +
  'background:var(--sb-accent,#0f766e);color:#fff;font:600 16px/1 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;' +
  'letter-spacing:normal;text-transform:none;box-shadow:0 6px 20px rgba(0,0,0,.25);cursor:pointer;transition:transform .15s}' +
  '.l:hover{transform:translateY(-2px)}.l:focus-visible{outline:3px solid #f59e0b;outline-offset:3px}' +
  '.l svg{width:24px;height:24px;fill:currentColor;flex:none}' +
  '.l[data-call]{background:#15803d}.l[aria-busy=true]{cursor:progress;opacity:.85}' +
  '.t{position:fixed;right:20px;bottom:86px;z-index:2147483000;max-width:260px;padding:8px 12px;border-radius:8px;' +
  'background:#7f1d1d;color:#fff;font:14px/1.3 system-ui,sans-serif}.t:empty{display:none}' +
  '@media (prefers-reduced-motion:reduce){.l{transition:none}.l:hover{transform:none}}';

/** Material "call" glyph. */
const PHONE =
  'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1z';

const script = findScript();
if (script) {
  script.setAttribute('data-sambung-loaded', '');
  if (document.body) draw(script);
  else document.addEventListener('DOMContentLoaded', () => draw(script));
}

/** `document.currentScript` is set while a classic (also async) script runs; fall back to the src. */
function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const scripts = document.querySelectorAll<HTMLScriptElement>('script[src]:not([data-sambung-loaded])');
  for (let i = scripts.length - 1; i >= 0; i--) {
    if (/\/widget\.js(?:[?#]|$)/.test(scripts[i]!.src)) return scripts[i]!;
  }
  return null;
}

function draw(script: HTMLScriptElement): void {
  const options = readOptions(script);
  if (!options) {
    console.warn('[sambung] widget.js needs data-tenant and data-queue');
    return;
  }
  const nonce = script.nonce || '';
  const host = document.createElement('sambung-widget');
  const root = host.attachShadow({ mode: 'open' });
  const style = make('style', { nonce });
  style.textContent = CSS;
  const launcher = make('button', {
    type: 'button',
    class: 'l',
    'data-sambung': 'launcher',
    'aria-label': options.label,
    'aria-haspopup': 'dialog',
    'aria-expanded': 'false',
  });
  // The icon is one path: building it with the DOM costs fewer bytes than an SVG parser would.
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  set(svg, { viewBox: '0 0 24 24', 'aria-hidden': 'true' });
  const path = document.createElementNS(svgNs, 'path');
  set(path, { d: PHONE });
  svg.append(path);
  const text = make('span', {});
  text.textContent = options.label;
  launcher.append(svg, text);
  const tip = make('p', { class: 't', role: 'status' });
  root.append(style, launcher, tip);
  document.body.append(host);

  const src = bundleUrl(script.src);
  let handle: CallWidgetHandle | undefined;
  let loading = false;
  // Warm the bundle up as soon as the visitor shows intent.
  const warm = (): void => void load(src, nonce).catch(() => undefined);
  launcher.addEventListener('pointerenter', warm, { once: true });
  launcher.addEventListener('focus', warm, { once: true });
  launcher.addEventListener('click', () => {
    if (handle) return handle.toggle();
    if (loading) return;
    loading = true;
    tip.textContent = '';
    launcher.setAttribute('aria-busy', 'true');
    load(src, nonce)
      .then((api) => {
        handle = api.mount(root, { ...options, launcher });
        handle.open();
      })
      .catch((error: unknown) => {
        console.error('[sambung] could not load the call bundle', error);
        tip.textContent = 'Calling is unavailable right now. Please try again later.';
      })
      .finally(() => {
        loading = false;
        launcher.removeAttribute('aria-busy');
      });
  });
}

/** Loads `call.js` once per page, shared by every loader on it; a failed load is retried on the next click. */
function load(src: string, nonce: string): Promise<SambungCallApi> {
  return new Promise((resolve, reject) => {
    const ready = (): boolean => {
      const api = window.SambungCall;
      if (api) api.version === 1 ? resolve(api) : reject(new Error('incompatible call bundle'));
      return !!api;
    };
    if (ready()) return;
    let tag = document.querySelector<HTMLScriptElement>('script[data-sambung-bundle]');
    if (!tag) {
      tag = make('script', { src, async: '', nonce, 'data-sambung-bundle': '' });
      document.head.append(tag);
    }
    const failed = tag;
    tag.addEventListener('load', () => ready() || reject(new Error('call bundle did not register')));
    tag.addEventListener('error', () => {
      failed.remove();
      reject(new Error(`could not load ${src}`));
    });
  });
}

function make<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  set(element, attributes);
  return element;
}

function set(element: Element, attributes: Record<string, string>): void {
  for (const name in attributes) element.setAttribute(name, attributes[name]!);
}

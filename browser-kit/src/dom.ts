/**
 * The only way our browser bundles (the widget's call panel, the softphone, the Zendesk app, the admin console)
 * create DOM. Text goes in through `textContent`, attributes through `setAttribute`; there is deliberately no path
 * to `innerHTML` (CONVENTIONS #12).
 */

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | boolean | undefined>> = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Shows or hides an element; `[hidden]` is forced to `display: none` by each bundle's stylesheet. */
export function show(element: HTMLElement, visible: boolean): void {
  element.hidden = !visible;
}

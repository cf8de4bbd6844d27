/**
 * Just enough DOM for the views' node tests (no jsdom here): elements with attributes, children, text nodes
 * and click listeners. Setting `innerHTML`/`outerHTML` or calling `insertAdjacentHTML` throws, so a view that
 * ever parses markup fails its test; text only exists as text nodes.
 */

export class MiniText {
  readonly nodeType = 3;
  parent: MiniElement | null = null;
  constructor(public data: string) {}
  get textContent(): string {
    return this.data;
  }
}

export type MiniNode = MiniElement | MiniText;

export class MiniElement {
  readonly nodeType = 1;
  readonly attributes = new Map<string, string>();
  readonly children: MiniNode[] = [];
  readonly style: Record<string, string> = {};
  readonly #listeners = new Map<string, ((event: { type: string; preventDefault(): void }) => void)[]>();
  parent: MiniElement | null = null;
  hidden = false;

  constructor(readonly tagName: string) {}

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  append(...nodes: (MiniNode | string)[]): void {
    for (const node of nodes) {
      const child = typeof node === 'string' ? new MiniText(node) : node;
      child.parent?.removeChild(child);
      child.parent = this;
      this.children.push(child);
    }
  }
  replaceChildren(...nodes: (MiniNode | string)[]): void {
    for (const child of this.children) child.parent = null;
    this.children.length = 0;
    this.append(...nodes);
  }
  removeChild(child: MiniNode): void {
    const index = this.children.indexOf(child);
    if (index >= 0) this.children.splice(index, 1);
    child.parent = null;
  }
  remove(): void {
    this.parent?.removeChild(this);
  }
  get textContent(): string {
    return this.children.map((c) => c.textContent).join('');
  }
  set textContent(text: string) {
    this.replaceChildren(new MiniText(text));
  }
  set innerHTML(_html: string) {
    throw new Error('innerHTML is forbidden: render text nodes');
  }
  set outerHTML(_html: string) {
    throw new Error('outerHTML is forbidden: render text nodes');
  }
  insertAdjacentHTML(): void {
    throw new Error('insertAdjacentHTML is forbidden: render text nodes');
  }
  addEventListener(type: string, listener: (event: { type: string; preventDefault(): void }) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  removeEventListener(type: string, listener: (event: { type: string; preventDefault(): void }) => void): void {
    this.#listeners.set(type, (this.#listeners.get(type) ?? []).filter((l) => l !== listener));
  }
  click(): void {
    for (const listener of this.#listeners.get('click') ?? []) listener({ type: 'click', preventDefault: () => undefined });
  }
  get ownerDocument(): MiniDocument {
    return miniDocument;
  }
}

export class MiniDocument {
  createElement(tag: string): MiniElement {
    return new MiniElement(tag.toLowerCase());
  }
  createTextNode(text: string): MiniText {
    return new MiniText(text);
  }
}

export const miniDocument = new MiniDocument();

/** Installs the mini DOM as the global `document` for the duration of a test; returns the uninstaller. */
export function installMiniDom(): () => void {
  const global = globalThis as { document?: unknown };
  const previous = global.document;
  global.document = miniDocument;
  return () => {
    global.document = previous;
  };
}

/** Every element under `root` (depth first) with this tag. */
export function elementsOf(root: MiniElement, tag?: string): MiniElement[] {
  const found: MiniElement[] = [];
  const walk = (node: MiniElement): void => {
    for (const child of node.children) {
      if (child instanceof MiniElement) {
        if (!tag || child.tagName === tag) found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

/** Casts a mini element to the DOM type a view expects. */
export const asHtml = <T = HTMLElement>(element: MiniElement): T => element as unknown as T;

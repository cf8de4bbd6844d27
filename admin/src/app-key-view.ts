/**
 * The CRM app key: `POST /api/admin/crm/app-key` makes a new one (the old one stops working) and this is the only
 * time it is visible — the bridge keeps its hash. Shown in a read-only field with a Copy button, and the hint of
 * where it goes: the Sambung app's secure `tenant_key` setting in Zendesk.
 */
import { el } from '../../browser-kit/src/dom.js';

export interface AppKeyActions {
  /** The new key, or throws; `describe` turns the error into a sentence. */
  generate(): Promise<string>;
  describe(error: unknown): string;
  /** Copies text to the clipboard; rejects when the browser refuses. */
  copy(text: string): Promise<void>;
}

export class AppKeyView {
  readonly element: HTMLElement;
  readonly #intro = el('p', { class: 'hint' });
  readonly #button = el('button', { type: 'button', class: 'btn' });
  readonly #result = el('div', { class: 'app-key', hidden: true });
  readonly #key = el('input', { id: 'app-key-value', type: 'text', readonly: true, spellcheck: 'false', autocomplete: 'off' });
  readonly #copy = el('button', { type: 'button', class: 'btn quiet' }, ['Copy']);
  readonly #status = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  readonly #error = el('p', { class: 'form-error', role: 'alert' });

  constructor(actions: AppKeyActions) {
    this.#result.append(
      el('label', { for: 'app-key-value' }, ['App key (shown only now)']),
      el('div', { class: 'with-button' }, [this.#key, this.#copy]),
      el('p', { class: 'hint' }, ["Paste it into the Sambung app's tenant_key setting in Zendesk."]),
    );
    this.#button.addEventListener('click', () => void this.#generate(actions));
    this.#copy.addEventListener('click', () => {
      actions.copy(this.#key.value).then(
        () => (this.#status.textContent = 'Copied.'),
        () => {
          this.#key.select();
          this.#status.textContent = 'The browser would not copy: the key is selected, press Ctrl+C (⌘C on a Mac).';
        },
      );
    });
    this.element = el('section', { class: 'card', 'aria-labelledby': 'appkey-heading' }, [
      el('h2', { id: 'appkey-heading' }, ['App key']),
      this.#intro,
      el('div', { class: 'actions' }, [this.#button]),
      this.#error,
      this.#result,
      this.#status,
    ]);
    this.render({ connected: false, hasAppKey: false });
  }

  /** Only a connected CRM can have a key; a second key replaces the first. */
  render(state: { connected: boolean; hasAppKey: boolean }): void {
    this.#button.disabled = !state.connected;
    this.#button.textContent = state.hasAppKey ? 'Make a new app key' : 'Make the app key';
    this.#intro.textContent = !state.connected
      ? 'Connect Zendesk first: the key belongs to the connection.'
      : state.hasAppKey
        ? 'The Zendesk app already has a key. A new key replaces it: the old one stops working at once.'
        : "The Zendesk app's sidebars list a customer's recent calls with this key.";
  }

  async #generate(actions: AppKeyActions): Promise<void> {
    this.#button.disabled = true;
    this.#error.textContent = '';
    this.#status.textContent = '';
    try {
      const key = await actions.generate();
      this.#key.value = key;
      this.#result.hidden = false;
      this.#status.textContent = 'New app key made. Copy it now: it is not shown again.';
      this.#key.focus();
      this.#key.select();
    } catch (error) {
      this.#result.hidden = true;
      this.#key.value = '';
      this.#error.textContent = actions.describe(error);
    } finally {
      this.#button.disabled = false;
    }
  }
}

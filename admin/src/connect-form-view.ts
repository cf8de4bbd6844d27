/**
 * The connect / reconnect form (subdomain, admin e-mail, API token, screen pop, recordings, time zone). It only
 * draws and collects: `connect-form-model.ts` builds the request and places the bridge's 400 on the fields.
 * The API token is a password field, never pre-filled, and cleared once the bridge has it.
 */
import { el } from '../../browser-kit/src/dom.js';
import { CONNECT_FIELDS, type ConnectField, type ConnectFormErrors, type ConnectFormValues } from './connect-form-model.js';
import { inputField, selectField, type FormField } from './form-field.js';

export type ConnectFormMode = 'connect' | 'reconnect' | 'change';

const TITLES: Record<ConnectFormMode, { heading: string; button: string; intro: string }> = {
  connect: {
    heading: 'Connect Zendesk',
    button: 'Connect Zendesk',
    intro: 'Sambung checks the token with Zendesk, stores it encrypted and never shows it again.',
  },
  reconnect: {
    heading: 'Reconnect Zendesk',
    button: 'Reconnect Zendesk',
    intro: 'Make a new API token in Zendesk (Admin Center → Apps and integrations → APIs → Zendesk API) and enter it here. Waiting deliveries resume at once.',
  },
  change: {
    heading: 'Change the Zendesk connection',
    button: 'Save and check with Zendesk',
    intro: 'Enter the API token again: Sambung checks every change with Zendesk.',
  },
};

export class ConnectFormView {
  readonly element: HTMLFormElement;
  readonly #heading = el('h3', { id: 'connect-heading' });
  readonly #intro = el('p', { class: 'hint' });
  readonly #submit = el('button', { type: 'submit', class: 'btn' });
  readonly #error = el('div', { class: 'form-error', role: 'alert' });
  readonly #fields: Record<ConnectField, FormField<HTMLInputElement | HTMLSelectElement>>;

  constructor(onSubmit: (values: ConnectFormValues) => Promise<void>, timeZones: readonly string[]) {
    const zoneList = el('datalist', { id: 'connect-timezones' }, timeZones.map((zone) => el('option', { value: zone })));
    this.#fields = {
      account: inputField(
        'connect-account', 'Zendesk subdomain',
        { required: true, spellcheck: 'false', autocapitalize: 'none', autocomplete: 'off', placeholder: 'acme' },
        'Only the first part of your Zendesk address: "acme" for acme.zendesk.com.',
        el('span', { class: 'suffix', 'aria-hidden': 'true' }, ['.zendesk.com']),
      ),
      email: inputField('connect-email', 'Admin e-mail', { type: 'email', required: true, autocomplete: 'off', spellcheck: 'false' },
        'The Zendesk agent or admin who owns the API token.'),
      token: inputField('connect-token', 'API token', { type: 'password', required: true, autocomplete: 'new-password', spellcheck: 'false' },
        'Stored encrypted; never shown again.'),
      screenPop: selectField('connect-screenpop', 'Screen pop', [['user', "The caller's user profile"], ['ticket', "The caller's newest open ticket"]],
        'What opens for the agent who answers.'),
      recordings: selectField('connect-recordings', 'Recordings', [['link', 'Link (Zendesk plays them from Sambung)'], ['upload', 'Upload to the voice ticket']]),
      timeZone: inputField('connect-timezone', 'Time zone', { required: true, list: 'connect-timezones', spellcheck: 'false', autocomplete: 'off' },
        'An IANA zone such as Asia/Jakarta, for names like "Web User – 11/22 06:05".'),
    };
    this.element = el('form', { class: 'connect-form', 'aria-labelledby': 'connect-heading', novalidate: true }, [
      this.#heading,
      this.#intro,
      ...CONNECT_FIELDS.map((f) => this.#fields[f].element),
      zoneList,
      this.#error,
      el('div', { class: 'actions' }, [this.#submit]),
    ]);
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#submitted(onSubmit);
    });
    this.setMode('connect');
  }

  setMode(mode: ConnectFormMode): void {
    const t = TITLES[mode];
    this.#heading.textContent = t.heading;
    this.#intro.textContent = t.intro;
    this.#submit.textContent = t.button;
  }

  /** Fills every field (the token stays empty) and clears the errors. */
  reset(values: ConnectFormValues): void {
    for (const f of CONNECT_FIELDS) this.#fields[f].control.value = values[f];
    this.showErrors(null);
  }

  showErrors(errors: ConnectFormErrors | null): void {
    for (const f of CONNECT_FIELDS) this.#fields[f].setErrors(errors?.fields[f] ?? []);
    this.#error.replaceChildren(
      ...(errors ? [el('p', {}, [errors.message]), ...errors.others.map((line) => el('p', {}, [line]))] : []),
    );
    const first = errors ? CONNECT_FIELDS.find((f) => (errors.fields[f]?.length ?? 0) > 0) : undefined;
    if (first) this.#fields[first].control.focus();
  }

  focusToken(): void {
    this.#fields.token.control.focus();
  }

  #values(): ConnectFormValues {
    const v = (f: ConnectField) => this.#fields[f].control.value;
    return {
      account: v('account'),
      email: v('email'),
      token: v('token'),
      screenPop: v('screenPop') === 'ticket' ? 'ticket' : 'user',
      recordings: v('recordings') === 'upload' ? 'upload' : 'link',
      timeZone: v('timeZone'),
    };
  }

  async #submitted(onSubmit: (values: ConnectFormValues) => Promise<void>): Promise<void> {
    this.#submit.disabled = true;
    this.element.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(this.#values());
    } finally {
      this.#submit.disabled = false;
      this.element.removeAttribute('aria-busy');
    }
  }
}

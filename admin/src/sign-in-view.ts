/**
 * The sign-in form: tenant, username, password → `POST /api/agent/login`. The password leaves the field as soon
 * as it is sent; a refusal (wrong credentials, not an admin) is read out through `role="alert"`.
 */
import { el } from '../../browser-kit/src/dom.js';
import { inputField } from './form-field.js';

export interface SignInValues {
  readonly tenant: string;
  readonly username: string;
  readonly password: string;
}

export class SignInView {
  readonly element: HTMLElement;
  readonly #form: HTMLFormElement;
  readonly #tenant = inputField('signin-tenant', 'Tenant', { autocomplete: 'organization', required: true, spellcheck: 'false', autocapitalize: 'none' });
  readonly #username = inputField('signin-username', 'Username', { autocomplete: 'username', required: true, spellcheck: 'false', autocapitalize: 'none' });
  readonly #password = inputField('signin-password', 'Password', { type: 'password', autocomplete: 'current-password', required: true });
  readonly #submit = el('button', { type: 'submit', class: 'btn' }, ['Sign in']);
  readonly #error = el('p', { class: 'form-error', role: 'alert' });

  constructor(onSubmit: (values: SignInValues) => Promise<string | null>, tenant = '') {
    this.#tenant.control.value = tenant;
    this.#form = el('form', { class: 'card narrow', 'aria-labelledby': 'signin-heading', novalidate: true }, [
      el('h2', { id: 'signin-heading' }, ['Sign in']),
      el('p', { class: 'hint' }, ['Use an admin account of your Sambung tenant.']),
      this.#tenant.element,
      this.#username.element,
      this.#password.element,
      this.#error,
      el('div', { class: 'actions' }, [this.#submit]),
    ]);
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#submitted(onSubmit);
    });
    this.element = this.#form;
  }

  /** A message shown above the button (e.g. "Your session expired"), or none. */
  setMessage(message: string): void {
    this.#error.textContent = message;
  }

  focus(): void {
    (this.#tenant.control.value === '' ? this.#tenant.control : this.#username.control).focus();
  }

  async #submitted(onSubmit: (values: SignInValues) => Promise<string | null>): Promise<void> {
    const values = { tenant: this.#tenant.control.value.trim(), username: this.#username.control.value.trim(), password: this.#password.control.value };
    const missing: string[] = [];
    for (const [f, value, what] of [[this.#tenant, values.tenant, 'the tenant'], [this.#username, values.username, 'your username'], [this.#password, values.password, 'your password']] as const) {
      f.setErrors(value === '' ? [`Enter ${what}.`] : []);
      if (value === '') missing.push(what);
    }
    if (missing.length > 0) {
      this.setMessage('');
      return;
    }
    this.#submit.disabled = true;
    this.setMessage('');
    try {
      const error = await onSubmit(values);
      this.#password.control.value = '';
      if (error) {
        this.setMessage(error);
        this.#password.control.focus();
      }
    } finally {
      this.#submit.disabled = false;
    }
  }
}

/**
 * The admin console page: the header, then either the sign-in form or the signed-in dashboard. The session (the
 * bearer token) lives only in the {@link AdminApiClient}; signing out or a lost session forgets it, and a reload
 * asks to sign in again.
 */
import { el } from '../../browser-kit/src/dom.js';
import type { AdminApiClient } from './admin-api.js';
import { describeAdminError } from './admin-errors.js';
import { AdminDashboard, type AdminDashboardOptions } from './admin-dashboard.js';
import { SignInView } from './sign-in-view.js';

export type AdminConsoleOptions = Omit<AdminDashboardOptions, 'onSessionLost' | 'client'> & {
  readonly client: AdminApiClient;
  /** The tenant to pre-fill (`?tenant=`), or ''. */
  readonly tenant: string;
};

export class AdminConsole {
  readonly #o: AdminConsoleOptions;
  readonly #main: HTMLElement;
  readonly #who = el('p', { class: 'who' });
  readonly #signOut = el('button', { type: 'button', class: 'btn quiet on-dark', hidden: true }, ['Sign out']);
  readonly #announce = el('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  #dashboard: AdminDashboard | null = null;

  constructor(root: HTMLElement, options: AdminConsoleOptions) {
    this.#o = options;
    this.#main = el('main', { id: 'main', class: 'main', tabindex: '-1' });
    this.#signOut.addEventListener('click', () => this.#showSignIn('You are signed out.'));
    root.replaceChildren(
      el('header', { class: 'top' }, [el('h1', {}, ['Sambung admin']), this.#who, this.#signOut]),
      this.#announce,
      this.#main,
    );
  }

  start(): void {
    this.#showSignIn('');
  }

  #showSignIn(message: string): void {
    this.#dashboard?.stop();
    this.#dashboard = null;
    this.#o.client.signOut();
    this.#who.textContent = '';
    this.#signOut.hidden = true;
    const view = new SignInView((values) => this.#signIn(values), this.#o.tenant);
    view.setMessage(message);
    this.#main.replaceChildren(view.element);
    this.#announce.textContent = message;
    view.focus();
  }

  async #signIn(values: { tenant: string; username: string; password: string }): Promise<string | null> {
    try {
      const session = await this.#o.client.signIn(values);
      this.#who.textContent = `${session.displayName} (${session.username}) · tenant ${session.tenant}`;
      this.#signOut.hidden = false;
      const dashboard = new AdminDashboard({ ...this.#o, onSessionLost: (why) => this.#showSignIn(why) });
      this.#dashboard = dashboard;
      this.#main.replaceChildren(dashboard.element);
      this.#announce.textContent = `Signed in as ${session.displayName}.`;
      this.#main.focus();
      await dashboard.start();
      return null;
    } catch (error) {
      return describeAdminError(error);
    }
  }
}

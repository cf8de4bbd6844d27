/**
 * The deliveries panel: counts by state, and the jobs waiting for a reconnect or parked, each with its last error
 * (the CRM's words, as text) and a Retry button.
 */
import { el } from '../../browser-kit/src/dom.js';
import type { DeliveryState, DeliveryStatus } from './admin-api-shapes.js';
import { countRows, deliverySummary, stateLabel, type JobRow } from './delivery-model.js';

export interface DeliveriesActions {
  /** Resolves with an error sentence, or null once the job is due again. */
  retry(jobId: string): Promise<string | null>;
  refresh(): Promise<void>;
}

export class DeliveriesView {
  readonly element: HTMLElement;
  readonly #summary = el('p', { class: 'lead' });
  readonly #counts = el('dl', { class: 'counts' });
  readonly #lists = el('div', { class: 'job-lists' });
  readonly #error = el('p', { class: 'form-error', role: 'alert' });
  readonly #status = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  readonly #sections = new Map<DeliveryState, HTMLElement>();
  readonly #actions: DeliveriesActions;

  constructor(states: readonly DeliveryState[], actions: DeliveriesActions) {
    this.#actions = actions;
    const refresh = el('button', { type: 'button', class: 'btn quiet' }, ['Refresh']);
    refresh.addEventListener('click', () => {
      refresh.disabled = true;
      void actions.refresh().finally(() => (refresh.disabled = false));
    });
    for (const state of states) {
      const section = el('section', { class: 'job-list', 'data-state': state, 'aria-labelledby': `jobs-${state}-heading` }, [
        el('h3', { id: `jobs-${state}-heading` }, [stateLabel(state)]),
      ]);
      this.#sections.set(state, section);
      this.#lists.append(section);
    }
    this.element = el('section', { class: 'card', 'aria-labelledby': 'deliveries-heading' }, [
      el('h2', { id: 'deliveries-heading' }, ['Deliveries to Zendesk']),
      this.#summary,
      this.#counts,
      el('div', { class: 'actions' }, [refresh]),
      this.#error,
      this.#status,
      this.#lists,
    ]);
  }

  renderCounts(status: DeliveryStatus): void {
    this.#summary.textContent = deliverySummary(status);
    this.#counts.replaceChildren(
      ...countRows(status).flatMap((row) => [
        el('div', { class: 'count', 'data-state': row.state }, [el('dt', {}, [row.label]), el('dd', {}, [String(row.count)])]),
      ]),
    );
  }

  /** The jobs of one state (newest first); `note` says when the list is cut. */
  renderJobs(state: DeliveryState, rows: readonly JobRow[], note: string | null): void {
    const section = this.#sections.get(state);
    if (!section) return;
    const heading = section.firstElementChild!;
    const body: HTMLElement[] = [];
    if (rows.length === 0) body.push(el('p', { class: 'hint' }, ['None.']));
    else {
      body.push(
        el('div', { class: 'table-wrap' }, [
          el('table', { class: 'grid' }, [
            el('thead', {}, [el('tr', {}, ['What', 'Call', 'Tries', 'Last error', 'Updated', 'Action'].map((t) => el('th', { scope: 'col' }, [t])))]),
            el('tbody', {}, rows.map((row) => this.#row(row))),
          ]),
        ]),
      );
      if (note) body.push(el('p', { class: 'hint' }, [note]));
    }
    section.replaceChildren(heading, ...body);
  }

  setError(message: string): void {
    this.#error.textContent = message;
  }

  #row(row: JobRow): HTMLTableRowElement {
    const retry = el('button', { type: 'button', class: 'btn small', 'aria-label': `Retry ${row.what} of call ${row.call}` }, ['Retry']);
    const error = el('p', { class: 'field-error', 'aria-live': 'polite' });
    retry.addEventListener('click', () => {
      retry.disabled = true;
      error.textContent = '';
      void this.#actions.retry(row.id).then((failure) => {
        retry.disabled = false;
        if (failure) error.textContent = failure;
        else this.#status.textContent = `${row.what} of call ${row.call} is queued again.`;
      });
    });
    return el('tr', { 'data-job': row.id }, [
      el('td', {}, [row.what]),
      el('td', { class: 'mono' }, [row.call]),
      el('td', {}, [row.attempts]),
      el('td', { class: 'last-error' }, [row.error]),
      el('td', {}, [row.updated]),
      el('td', {}, [retry, error]),
    ]);
  }
}

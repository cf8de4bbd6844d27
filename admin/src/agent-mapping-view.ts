/**
 * The agent ↔ Zendesk user card: the table (one {@link agentMappingRow} per agent), the lines under it — agents
 * that no longer exist, why there is no list to pick from or that it is partial, the card's error and status — and
 * "Reload the list from Zendesk". It draws an {@link AgentMappingTable}; every word in it is text.
 */
import { el } from '../../browser-kit/src/dom.js';
import { agentMappingRow, type AgentMappingRowActions } from './agent-mapping-row-view.js';
import type { AgentMappingTable } from './agent-mapping-table.js';

export interface AgentMappingActions extends Omit<AgentMappingRowActions, 'status'> {
  /** Reads the CRM's agents again and redraws; never rejects (a failure becomes the card's error line). */
  reloadDirectory(): Promise<void>;
}

export class AgentMappingView {
  readonly element: HTMLElement;
  readonly #hint = el('p', { class: 'hint' });
  readonly #userHeading = el('th', { scope: 'col' }, ['Zendesk user id']);
  readonly #caption = el('caption', { class: 'visually-hidden' }, ['Agents and their Zendesk users']);
  readonly #body = el('tbody');
  readonly #empty = el('p', { class: 'hint', hidden: true }, ['No agents yet.']);
  readonly #orphans = el('p', { class: 'note', hidden: true });
  readonly #directoryNote = el('p', { class: 'note directory-note', hidden: true });
  readonly #error = el('p', { class: 'form-error', role: 'alert' });
  readonly #status = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  readonly #reload = el('button', { type: 'button', class: 'btn small quiet', hidden: true }, ['Reload the list from Zendesk']);
  readonly #actions: AgentMappingRowActions;

  constructor(actions: AgentMappingActions) {
    this.#actions = { save: actions.save, unmap: actions.unmap, status: (message) => this.setStatus(message) };
    this.#reload.addEventListener('click', () => {
      this.#reload.disabled = true;
      this.setStatus('');
      void actions.reloadDirectory().finally(() => {
        this.#reload.disabled = false;
      });
    });
    this.element = el('section', { class: 'card', 'aria-labelledby': 'agents-heading' }, [
      el('h2', { id: 'agents-heading' }, ['Agents in Zendesk']),
      this.#hint,
      el('div', { class: 'table-wrap' }, [
        el('table', { class: 'grid' }, [
          this.#caption,
          el('thead', {}, [el('tr', {}, [th('Agent'), th('Role'), this.#userHeading, th('Actions')])]),
          this.#body,
        ]),
      ]),
      this.#empty,
      this.#orphans,
      this.#directoryNote,
      this.#error,
      this.#status,
      el('div', { class: 'actions' }, [this.#reload]),
    ]);
  }

  render(table: AgentMappingTable): void {
    this.#hint.textContent = table.hint;
    this.#userHeading.textContent = table.users ? 'Zendesk user' : 'Zendesk user id';
    this.#body.replaceChildren(...table.lines.map((line, i) => agentMappingRow(line, i, table, this.#actions)));
    this.#empty.hidden = table.lines.length > 0;
    this.#orphans.textContent = table.orphanLinks > 0 ? `${table.orphanLinks} mapping(s) belong to agents that no longer exist.` : '';
    this.#orphans.hidden = table.orphanLinks === 0;
    const note = table.notice?.tone === 'note' ? table.notice.text : '';
    this.#directoryNote.textContent = note;
    this.#directoryNote.hidden = note === '';
    this.#error.textContent = table.notice?.tone === 'error' ? table.notice.text : '';
    this.#reload.hidden = !table.canReload;
  }

  /** An error loading the table (the rows keep their last content). */
  setError(message: string): void {
    this.#error.textContent = message;
  }

  setStatus(message: string): void {
    this.#status.textContent = message;
  }
}

function th(text: string): HTMLTableCellElement {
  return el('th', { scope: 'col' }, [text]);
}

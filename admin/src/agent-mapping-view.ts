/**
 * The agent ↔ Zendesk user table: one row per agent with the Zendesk user id (editable), Save and Unmap, and the
 * row's own error or outcome next to it. Agent names are text, whatever they contain.
 */
import { el } from '../../browser-kit/src/dom.js';
import { checkCrmUserId, type AgentMappingRow } from './agent-mapping-model.js';

export interface AgentMappingActions {
  /** Resolve with an error sentence, or null on success (the table is then reloaded by the caller). */
  save(username: string, crmUserId: string): Promise<string | null>;
  unmap(username: string): Promise<string | null>;
}

export class AgentMappingView {
  readonly element: HTMLElement;
  readonly #body = el('tbody');
  readonly #empty = el('p', { class: 'hint', hidden: true }, ['No agents yet.']);
  readonly #note = el('p', { class: 'note', hidden: true });
  readonly #error = el('p', { class: 'form-error', role: 'alert' });
  readonly #status = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  readonly #actions: AgentMappingActions;

  constructor(actions: AgentMappingActions) {
    this.#actions = actions;
    this.element = el('section', { class: 'card', 'aria-labelledby': 'agents-heading' }, [
      el('h2', { id: 'agents-heading' }, ['Agents in Zendesk']),
      el('p', { class: 'hint' }, [
        "Map each agent to their Zendesk user id (the number at the end of the agent's profile address in Zendesk): the screen pop opens for that user and the voice ticket names them.",
      ]),
      el('div', { class: 'table-wrap' }, [
        el('table', { class: 'grid' }, [
          el('caption', { class: 'visually-hidden' }, ['Agents and their Zendesk user ids']),
          el('thead', {}, [el('tr', {}, [th('Agent'), th('Role'), th('Zendesk user id'), th('Actions')])]),
          this.#body,
        ]),
      ]),
      this.#empty,
      this.#note,
      this.#error,
      this.#status,
    ]);
  }

  render(rows: readonly AgentMappingRow[], orphanLinks: number): void {
    this.#body.replaceChildren(...rows.map((row, i) => this.#row(row, i)));
    this.#empty.hidden = rows.length > 0;
    this.#note.textContent = orphanLinks > 0 ? `${orphanLinks} mapping(s) belong to agents that no longer exist.` : '';
    this.#note.hidden = orphanLinks === 0;
  }

  /** An error loading the table (the rows keep their last content). */
  setError(message: string): void {
    this.#error.textContent = message;
  }

  setStatus(message: string): void {
    this.#status.textContent = message;
  }

  #row(row: AgentMappingRow, index: number): HTMLTableRowElement {
    const inputId = `crm-user-${index}`;
    const errorId = `${inputId}-error`;
    const input = el('input', {
      id: inputId,
      class: 'crm-user-id',
      inputmode: 'numeric',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': errorId,
      'data-username': row.username,
    });
    input.value = row.crmUserId ?? '';
    const error = el('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' });
    const save = el('button', { type: 'button', class: 'btn small' }, ['Save']);
    const unmap = el('button', { type: 'button', class: 'btn small quiet', disabled: row.crmUserId === null }, ['Unmap']);
    const busy = async (run: () => Promise<string | null>, done: string): Promise<void> => {
      save.disabled = true;
      unmap.disabled = true;
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      const failure = await run();
      save.disabled = false;
      unmap.disabled = row.crmUserId === null;
      if (failure) {
        error.textContent = failure;
        input.setAttribute('aria-invalid', 'true');
      } else this.#status.textContent = done;
    };
    save.addEventListener('click', () => {
      const check = checkCrmUserId(input.value);
      if (!check.ok) {
        error.textContent = check.message;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      void busy(() => this.#actions.save(row.username, check.value), `${row.displayName} is mapped to Zendesk user ${check.value}.`);
    });
    unmap.addEventListener('click', () => {
      void busy(() => this.#actions.unmap(row.username), `${row.displayName} is no longer mapped.`);
    });
    const label = el('label', { for: inputId, class: 'visually-hidden' }, [`Zendesk user id of ${row.displayName}`]);
    return el('tr', { 'data-username': row.username }, [
      el('th', { scope: 'row' }, [el('span', { class: 'agent-name' }, [row.displayName]), el('span', { class: 'meta' }, [row.username])]),
      el('td', {}, [row.role]),
      el('td', {}, [label, input, error]),
      el('td', { class: 'row-actions' }, [save, unmap]),
    ]);
  }
}

function th(text: string): HTMLTableCellElement {
  return el('th', { scope: 'col' }, [text]);
}

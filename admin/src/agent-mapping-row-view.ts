/**
 * One row of the agent mapping table: the agent, their role, the Zendesk user (a select of the listed users, or the
 * typed id), Save and Unmap, the row's own error, and the suggestion with its "Use suggestion" button — which only
 * picks the user; Save is still the admin's. Every name and label is text.
 */
import { el } from '../../browser-kit/src/dom.js';
import { checkChoice, savedText, type AgentMappingLine, type AgentMappingTable } from './agent-mapping-table.js';
import { OTHER_USER, type UserPicker } from './crm-user-options.js';

export interface AgentMappingRowActions {
  /** Resolve with an error sentence, or null on success (the table is then reloaded by the caller). */
  save(username: string, crmUserId: string): Promise<string | null>;
  unmap(username: string): Promise<string | null>;
  /** The card's status line. */
  status(message: string): void;
}

export function agentMappingRow(line: AgentMappingLine, index: number, table: AgentMappingTable, actions: AgentMappingRowActions): HTMLTableRowElement {
  const { row, picker } = line;
  const id = `crm-user-${index}`;
  const errorId = `${id}-error`;
  const error = el('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' });
  const input = el('input', {
    id: picker ? `${id}-id` : id,
    class: 'crm-user-id',
    inputmode: 'numeric',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': errorId,
    'data-username': row.username,
  });
  const inputLabel = el('label', { for: input.id, class: 'visually-hidden' }, [`Zendesk user id of ${row.displayName}`]);
  const select = picker ? userSelect(picker, id, errorId, row.username) : null;
  const typedWrap = el('span', { class: 'typed-id', hidden: select !== null && select.value !== OTHER_USER }, [inputLabel, input]);
  input.value = picker ? picker.typed : (row.crmUserId ?? '');
  const save = el('button', { type: 'button', class: 'btn small' }, ['Save']);
  const unmap = el('button', { type: 'button', class: 'btn small quiet', disabled: row.crmUserId === null }, ['Unmap']);

  const usingInput = (): boolean => select === null || select.value === OTHER_USER;
  const setInvalid = (message: string): void => {
    error.textContent = message;
    input.removeAttribute('aria-invalid');
    select?.removeAttribute('aria-invalid');
    if (message) (usingInput() ? input : select!).setAttribute('aria-invalid', 'true');
  };
  const busy = async (run: () => Promise<string | null>, done: string): Promise<void> => {
    save.disabled = true;
    unmap.disabled = true;
    setInvalid('');
    const failure = await run();
    save.disabled = false;
    unmap.disabled = row.crmUserId === null;
    if (failure) setInvalid(failure);
    else actions.status(done);
  };
  save.addEventListener('click', () => {
    const check = checkChoice(table, row.username, { selected: select?.value ?? null, typed: input.value });
    if (!check.ok) {
      setInvalid(check.message);
      (usingInput() ? input : select!).focus();
      return;
    }
    void busy(() => actions.save(row.username, check.value), savedText(table, row, check.value));
  });
  unmap.addEventListener('click', () => {
    void busy(() => actions.unmap(row.username), `${row.displayName} is no longer mapped.`);
  });

  const cell: (Node | null)[] = [];
  if (select) {
    select.addEventListener('change', () => {
      setInvalid('');
      typedWrap.hidden = select.value !== OTHER_USER;
      if (!typedWrap.hidden) input.focus();
    });
    cell.push(el('label', { for: id, class: 'visually-hidden' }, [`Zendesk user of ${row.displayName}`]), select);
  }
  cell.push(typedWrap);
  if (select && picker?.suggestion) cell.push(suggestionLine(picker.suggestion, `${id}-suggestion`, select, row.displayName, save));
  cell.push(error);
  return el('tr', { 'data-username': row.username }, [
    el('th', { scope: 'row' }, [el('span', { class: 'agent-name' }, [row.displayName]), el('span', { class: 'meta' }, [row.username])]),
    el('td', {}, [row.role]),
    el('td', { class: 'crm-user-cell' }, cell),
    el('td', { class: 'row-actions' }, [save, unmap]),
  ]);
}

function userSelect(picker: UserPicker, id: string, errorId: string, username: string): HTMLSelectElement {
  const select = el('select', { id, class: 'crm-user', 'aria-describedby': errorId, 'data-username': username },
    picker.options.map((o) => el('option', { value: o.value }, [o.label])));
  select.value = picker.selected;
  return select;
}

/**
 * "Suggested: Alice Agent — alice@acme.test [Use suggestion]". The button only selects the user and moves to Save;
 * the line follows the select (choosing another user brings the suggestion back).
 */
function suggestionLine(
  suggestion: { readonly value: string; readonly label: string },
  id: string,
  select: HTMLSelectElement,
  agentName: string,
  save: HTMLButtonElement,
): HTMLElement {
  const text = el('span', { id, class: 'suggestion-text' }, [`Suggested: ${suggestion.label}`]);
  const use = el('button', { type: 'button', class: 'btn small quiet', 'aria-describedby': id }, ['Use suggestion']);
  select.addEventListener('change', () => {
    const chosen = select.value === suggestion.value;
    text.textContent = chosen ? `${suggestion.label} is chosen: press Save to map ${agentName}.` : `Suggested: ${suggestion.label}`;
    use.hidden = chosen;
  });
  use.addEventListener('click', () => {
    select.value = suggestion.value;
    select.dispatchEvent(new Event('change'));
    save.focus();
  });
  return el('p', { class: 'suggestion' }, [text, ' ', use]);
}

/**
 * The top bar's "several matches" chooser: one button per Zendesk record the bridge found for the caller.
 * Labels are names a visitor may have typed, so they go in as text nodes only (softphone `dom.ts`).
 */
import { el } from '../../../browser-kit/src/dom.js';
import type { RecordRef } from '../../softphone/src/host-adapter.js';
import type { CandidateChooser } from './candidate-chooser.js';

export class ZafCandidatesView implements CandidateChooser {
  readonly element: HTMLElement;

  constructor(container: HTMLElement) {
    this.element = el('section', { class: 'sp zd-candidates', 'data-zendesk': 'candidates', 'aria-label': 'Matching Zendesk records' });
    this.element.hidden = true;
    container.append(this.element);
  }

  show(candidates: readonly RecordRef[], pick: (record: RecordRef) => Promise<void>): void {
    let picked = false;
    const buttons = candidates.map((record) => {
      const button = el('button', { type: 'button', class: 'sp-btn quiet', 'data-record-id': record.id }, [labelOf(record)]);
      button.addEventListener('click', () => {
        if (picked) return;
        picked = true;
        for (const b of buttons) b.disabled = true;
        pick(record).catch((error: unknown) => console.error('[sambung] choosing a record failed', error));
      });
      return button;
    });
    this.element.replaceChildren(el('div', { class: 'sp-body' }, [
      el('p', { class: 'sp-meta' }, [`${candidates.length} Zendesk records match this caller. Open one:`]),
      el('ul', { class: 'zd-candidate-list' }, buttons.map((button) => el('li', {}, [button]))),
    ]));
    this.element.hidden = false;
  }

  clear(): void {
    this.element.replaceChildren();
    this.element.hidden = true;
  }
}

function labelOf(record: RecordRef): string {
  const name = record.label.trim() || `Record ${record.id}`;
  return record.type === 'ticket' ? `${name} (ticket)` : name;
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordRef } from '../../softphone/src/host-adapter.js';
import { asHtml, elementsOf, installMiniDom, miniDocument, type MiniElement } from './test-support/mini-dom.js';
import { ZafCandidatesView } from './zaf-candidates-view.js';

let uninstall: () => void;
beforeEach(() => {
  uninstall = installMiniDom();
});
afterEach(() => uninstall());

const hostile = '<img src=x onerror="alert(1)">Siti';

function view() {
  const container = miniDocument.createElement('div');
  const chooser = new ZafCandidatesView(asHtml(container));
  return { container, chooser, root: chooser.element as unknown as MiniElement };
}

describe('ZafCandidatesView', () => {
  it('starts hidden and lists each candidate as a text-only button', () => {
    const { chooser, root } = view();
    expect(root.hidden).toBe(true);
    chooser.show([{ id: '1', label: hostile, type: 'user' }, { id: '2', label: '', type: 'ticket' }], async () => undefined);
    expect(root.hidden).toBe(false);
    const buttons = elementsOf(root, 'button');
    expect(buttons.map((b) => b.textContent)).toEqual([hostile, 'Record 2 (ticket)']);
    expect(buttons.map((b) => b.getAttribute('data-record-id'))).toEqual(['1', '2']);
    expect(elementsOf(root, 'img')).toEqual([]);
    expect(root.textContent).toContain('2 Zendesk records match this caller');
  });

  it('passes the first click on to the adapter once and disables the rest', () => {
    const { chooser, root } = view();
    const picked: RecordRef[] = [];
    chooser.show([{ id: '1', label: 'A' }, { id: '2', label: 'B' }], async (record) => {
      picked.push(record);
    });
    const [a, b] = elementsOf(root, 'button');
    b!.click();
    a!.click();
    b!.click();
    expect(picked).toEqual([{ id: '2', label: 'B' }]);
    expect(elementsOf(root, 'button').every((button) => (button as unknown as HTMLButtonElement).disabled)).toBe(true);
  });

  it('replaces an earlier offer and clears to nothing', () => {
    const { chooser, root } = view();
    chooser.show([{ id: '1', label: 'A' }], async () => undefined);
    chooser.show([{ id: '3', label: 'C' }], async () => undefined);
    expect(elementsOf(root, 'button').map((b) => b.textContent)).toEqual(['C']);
    chooser.clear();
    expect(root.hidden).toBe(true);
    expect(root.children).toEqual([]);
  });
});

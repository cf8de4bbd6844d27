import { describe, expect, it } from 'vitest';
import type { CallLogEntry, NoticeKind } from './host-adapter.js';
import { describeHostAdapterConformance } from './host-adapter.conformance.js';
import { StandaloneHost, type CallerCard, type StandaloneView } from './standalone-host.js';

/** The page, minus the DOM: records what the host asked it to show. */
class MemoryView implements StandaloneView {
  cards: CallerCard[] = [];
  recent: readonly CallLogEntry[] = [];
  visible = true;
  size: { width: number; height: number } | undefined;
  notices: { message: string; kind: NoticeKind }[] = [];
  disposed = false;
  #dialHandlers = new Set<(raw: string) => void>();

  showCallerCard(card: CallerCard): void {
    this.cards.push(card);
  }
  showRecentCalls(entries: readonly CallLogEntry[]): void {
    this.recent = entries;
  }
  onDialRequest(handler: (raw: string) => void): () => void {
    this.#dialHandlers.add(handler);
    return () => this.#dialHandlers.delete(handler);
  }
  /** The agent typed a number into the page's dial field and pressed Dial. */
  typeAndDial(raw: string): void {
    for (const handler of this.#dialHandlers) handler(raw);
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
  }
  setSize(size: { width: number; height: number }): void {
    this.size = size;
  }
  showNotice(message: string, kind: NoticeKind): void {
    this.notices.push({ message, kind });
  }
  dispose(): void {
    this.disposed = true;
  }
}

describeHostAdapterConformance('StandaloneHost', () => {
  const view = new MemoryView();
  const adapter = new StandaloneHost({ view, locale: 'id-ID' });
  return {
    adapter,
    seedRecord: async (record) => adapter.addRecord(record),
    clickToDial: async (target) => view.typeAndDial(target.phone),
    callLogs: async () => view.recent,
    isVisible: async () => view.visible,
  };
});

const entry = (callId: string, overrides: Partial<CallLogEntry> = {}): CallLogEntry => ({
  callId,
  direction: 'inbound',
  queue: 'sales',
  caller: { name: 'Siti', phone: '+6281234567890', email: '' },
  agent: { id: 'a1', username: 'alice', displayName: 'Alice' },
  startedAt: '2030-01-01T09:00:00Z',
  endedAt: '2030-01-01T09:01:00Z',
  talkSeconds: 0,
  outcome: 'missed',
  ...overrides,
});

describe('StandaloneHost', () => {
  it('shows the caller card it popped, with the match result', async () => {
    const view = new MemoryView();
    const host = new StandaloneHost({ view, directory: [{ id: 'r1', name: 'Siti Rahma', phone: '+6281234567890' }] });
    await host.init();
    await host.screenPop({ callId: 'c1', queue: 'sales', name: 'Siti', phone: '081234567890', email: '' });
    expect(view.cards).toHaveLength(1);
    expect(view.cards[0]!.result).toEqual({ kind: 'opened', record: { id: 'r1', label: 'Siti Rahma', type: 'Caller' } });
  });

  it('recognises a returning caller from an earlier logged call', async () => {
    const view = new MemoryView();
    const host = new StandaloneHost({ view });
    await host.init();
    const caller = { callId: 'c2', queue: 'sales', name: 'Siti', phone: '+62 812 3456 7890', email: '' };
    expect((await host.screenPop(caller)).kind).toBe('none');
    await host.logCall(entry('c1'));
    expect(await host.screenPop(caller)).toMatchObject({ kind: 'opened', record: { label: 'Siti' } });
  });

  it('lists recent calls newest first and keeps only the configured number', async () => {
    const view = new MemoryView();
    const host = new StandaloneHost({ view, recentLimit: 2 });
    await host.init();
    await host.logCall(entry('c1'));
    await host.logCall(entry('c2'));
    await host.logCall(entry('c3'));
    expect(view.recent.map((e) => e.callId)).toEqual(['c3', 'c2']);
    await host.logCall(entry('c2', { outcome: 'answered', talkSeconds: 30 }));
    expect(view.recent.map((e) => `${e.callId}:${e.outcome}`)).toEqual(['c3:missed', 'c2:answered']);
  });

  it('ignores an empty dial field and clamps resize to the page', async () => {
    const view = new MemoryView();
    const host = new StandaloneHost({ view });
    await host.init();
    const dialled: string[] = [];
    host.onClickToDial((t) => dialled.push(t.phone));
    view.typeAndDial('   ');
    expect(dialled).toEqual([]);
    await host.resize({ width: 99_999, height: 300.4 });
    expect(view.size).toEqual({ width: 4096, height: 300 });
  });

  it('disposes its view on close', async () => {
    const view = new MemoryView();
    const host = new StandaloneHost({ view });
    await host.init();
    await host.close();
    expect(view.disposed).toBe(true);
  });
});

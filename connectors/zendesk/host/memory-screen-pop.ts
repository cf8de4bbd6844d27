/**
 * The screen-pop rules over records held in memory: phone first (normalised digits, via the softphone's
 * `phonesMatch`), then e-mail (case-insensitive); an empty field matches nothing. One match opens it, several
 * offer a choice, none is `none`.
 *
 * In the product the bridge applies these rules to Zendesk's users server-side (`POST …/screen-pop`); this is
 * the same decision for the conformance harness and the fake pages, kept in one place.
 */
import type { CallerInfo, RecordRef, ScreenPopResult } from '../../softphone/src/host-adapter.js';
import { emailsMatch, phonesMatch } from '../../softphone/src/phone-match.js';

export interface MemoryRecord {
  readonly id: string;
  readonly name: string;
  readonly phone?: string;
  readonly email?: string;
  /** Zendesk object type the record opens as; `user` by default. */
  readonly type?: 'user' | 'ticket';
}

export function matchCaller(records: readonly MemoryRecord[], caller: Pick<CallerInfo, 'phone' | 'email'>): ScreenPopResult {
  const byPhone = records.filter((r) => r.phone !== undefined && phonesMatch(r.phone, caller.phone));
  const matches = byPhone.length > 0 ? byPhone : records.filter((r) => r.email !== undefined && emailsMatch(r.email, caller.email));
  const refs: RecordRef[] = matches.map((r) => ({ id: r.id, label: r.name, type: r.type ?? 'user' }));
  if (refs.length === 0) return { kind: 'none' };
  return refs.length === 1 ? { kind: 'opened', record: refs[0]! } : { kind: 'choose', candidates: refs };
}

/** An in-memory stand-in for the bridge's screen-pop endpoint: seed records, then pop and choose. */
export class MemoryScreenPop {
  readonly #records: MemoryRecord[] = [];
  /** Every `choose(callId, record)` received, in order. */
  readonly chosen: { callId: string; record: RecordRef }[] = [];

  seed(record: MemoryRecord): void {
    const index = this.#records.findIndex((r) => r.id === record.id);
    if (index >= 0) this.#records[index] = record;
    else this.#records.push(record);
  }

  readonly screenPop = async (caller: CallerInfo): Promise<ScreenPopResult> => matchCaller(this.#records, caller);

  readonly choose = async (callId: string, record: RecordRef): Promise<void> => {
    this.chosen.push({ callId, record });
  };
}

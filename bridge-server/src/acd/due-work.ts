import type { AcdCore, DueEvent } from './acd-core.js';
import type { AgentDesk } from './agent-desk.js';
import type { CallLine } from './call-line.js';
import type { CallbackBook } from './callback-book.js';
import { nextMidnight } from './zoned-time.js';

/**
 * What happens when a due entry comes up. Entries are never removed when they stop applying (an answered call's
 * ring timeout, a moved call's escalation): each handler checks its entry still fits the record's state and
 * stamps, and does nothing otherwise.
 */
export class DueWork {
  readonly #core: AcdCore;
  readonly #line: CallLine;
  readonly #desk: AgentDesk;
  readonly #callbacks: CallbackBook;
  readonly #timeZone: string;

  constructor(core: AcdCore, line: CallLine, desk: AgentDesk, callbacks: CallbackBook, timeZone: string) {
    this.#core = core;
    this.#line = line;
    this.#desk = desk;
    this.#callbacks = callbacks;
    this.#timeZone = timeZone;
  }

  /** Arm the recurring work (the daily counters' midnight). */
  start(): void {
    this.#core.due.push(nextMidnight(this.#core.now, this.#timeZone), { kind: 'day-rollover' });
  }

  run(ev: DueEvent): void {
    const core = this.#core;
    switch (ev.kind) {
      case 'ring-timeout':
        if (ev.call.fsm.state === 'offered' && ev.call.offerStamp === ev.stamp) this.#desk.ringTimedOut(ev.call);
        return;
      case 'escalate':
        if (ev.call.queue === ev.queue && ev.call.fsm.state !== 'done') this.#line.escalate(ev.call);
        return;
      case 'max-wait':
        if (ev.call.queue !== ev.queue) return;
        if (ev.call.fsm.state === 'waiting') this.#line.overflow(ev.call, 'max-wait');
        else if (ev.call.fsm.state === 'offered') ev.call.overdue = true;
        return;
      case 'reoffer':
        if (ev.call.fsm.state === 'waiting' && ev.call.pool) {
          ev.call.pool.removeCall(ev.call);
          core.dispatchCall(ev.call);
        }
        return;
      case 'wrap-end':
        if (ev.agent.wrap?.stamp === ev.stamp) this.#desk.endWrap(ev.agent);
        return;
      case 'callback':
        return this.#callbacks.due(ev.callbackId);
      case 'day-rollover':
        for (const a of core.agents.values()) {
          a.callsToday = 0;
          a.talkMsToday = 0;
        }
        core.relistFreeAgents();
        this.start();
        return;
    }
  }
}

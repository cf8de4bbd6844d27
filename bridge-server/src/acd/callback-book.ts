import type { AcdCore } from './acd-core.js';
import { AcdError } from './acd-errors.js';
import type { AcdMetrics } from './acd-metrics.js';
import type { QueueRuntime } from './acd-records.js';
import type { CallbackRequest } from './acd-types.js';
import { isOpenAt } from './business-hours.js';
import type { CallLine } from './call-line.js';

/**
 * Scheduled callbacks: held until their time, then queued like a call (bypassing deflection — the slot was
 * promised) and offered to agents as `kind: 'callback'`, so the bridge dials the visitor once an agent answers.
 */
export class CallbackBook {
  readonly #core: AcdCore;
  readonly #line: CallLine;
  readonly #metrics: AcdMetrics;
  readonly #held = new Map<string, CallbackRequest>();

  constructor(core: AcdCore, line: CallLine, metrics: AcdMetrics) {
    this.#core = core;
    this.#line = line;
    this.#metrics = metrics;
  }

  schedule(q: QueueRuntime, req: CallbackRequest): void {
    if (this.#held.has(req.callbackId) || this.#core.calls.has(req.callbackId)) throw AcdError.conflict(`callback ${req.callbackId} exists`);
    if (!isOpenAt(q.config.businessHours, req.at)) throw AcdError.invalid({ at: ["outside the queue's business hours"] });
    this.#held.set(req.callbackId, req);
    this.#core.due.push(Math.max(req.at, this.#core.now), { kind: 'callback', callbackId: req.callbackId });
  }

  cancel(callbackId: string): boolean {
    return this.#held.delete(callbackId);
  }

  /** Its time has come: it joins its queue's line (cancelled ones are gone from `#held` and ignored). */
  due(callbackId: string): void {
    const core = this.#core;
    const req = this.#held.get(callbackId);
    if (!req) return;
    this.#held.delete(callbackId);
    const q = core.queues.get(req.queueId);
    if (!q) return;
    const call = core.createCall(callbackId, 'callback', q, core.now, Math.max(0, Math.min(10, req.priority ?? 0)), req.data);
    this.#metrics.offered(q.metrics, core.now);
    core.effects.push({ type: 'callback-queued', callId: callbackId, queueId: q.config.id, data: req.data });
    this.#line.place(call);
  }
}

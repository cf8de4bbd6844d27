import { TransitionError } from '../errors.js';
import type { AcdCore } from './acd-core.js';
import type { AcdMetrics } from './acd-metrics.js';
import type { AgentRecord, CallRecord } from './acd-records.js';
import type { AwayReason } from './agent-state.js';
import type { CallLine } from './call-line.js';

/**
 * The agent's side of a call: choosing ready/away/offline, answering, missing (after FreeSWITCH's
 * max-no-answer), wrap-up. State itself only ever changes through `AcdCore.transition`.
 */
export class AgentDesk {
  readonly #core: AcdCore;
  readonly #line: CallLine;
  readonly #metrics: AcdMetrics;
  readonly #maxMisses: number;
  #wrapSeq = 0;

  constructor(core: AcdCore, line: CallLine, metrics: AcdMetrics, maxMisses: number) {
    this.#core = core;
    this.#line = line;
    this.#metrics = metrics;
    this.#maxMisses = maxMisses;
  }

  /**
   * The agent's own choice. While ringing, away/offline withdraws the offer (the call goes back to its place in
   * line, no miss counted); on a call it is remembered and applied when wrap-up ends; during wrap-up it ends
   * wrap-up now. Ready resets the misses.
   */
  choose(agent: AgentRecord, to: 'available' | 'away' | 'offline', reason: AwayReason | null): void {
    const core = this.#core;
    const state = agent.fsm.state;
    const why = to === 'away' ? (reason ?? 'break') : null;
    if (to === 'available') agent.misses = 0;
    if (state === 'on-call') {
      agent.pending = to === 'available' ? null : { state: to, reason: why };
    } else if (state === 'wrap-up') {
      agent.pending = to === 'available' ? null : { state: to, reason: why };
      this.endWrap(agent);
    } else if (state === 'reserved') {
      if (to === 'available') throw TransitionError.illegal(`agent ${agent.id}`, state, to);
      const call = agent.call!;
      core.effects.push({ type: 'stop-ringing', callId: call.id, agentIds: [agent.id], reason: 'agent-unavailable' });
      this.release(agent, call);
      core.transition(agent, to, why);
    } else if (state !== to || (to === 'away' && agent.awayReason !== why)) {
      core.transition(agent, to, why);
    }
  }

  /** The agent no longer rings for the call; the call goes back in line if nobody else rings. */
  release(agent: AgentRecord, call: CallRecord): void {
    agent.call = null;
    call.ringing = call.ringing.filter((a) => a !== agent);
    (call.declined ??= new Map()).set(agent.id, this.#core.now);
    if (call.ringing.length === 0) this.#line.backInLine(call);
  }

  /** A missed or rejected offer: back to ready, or away/missed after too many in a row. */
  missed(agent: AgentRecord): void {
    agent.call = null;
    agent.misses++;
    this.#metrics.missed(agent.metrics, this.#core.now);
    if (agent.misses >= this.#maxMisses) this.#core.transition(agent, 'away', 'missed');
    else this.#core.transition(agent, 'available');
  }

  /** Nobody answered within the ring timeout: every ringing agent missed it and the call goes back in line. */
  ringTimedOut(call: CallRecord): void {
    const core = this.#core;
    const agents = call.ringing;
    core.effects.push({ type: 'stop-ringing', callId: call.id, agentIds: agents.map((a) => a.id), reason: 'timeout' });
    for (const a of agents) (call.declined ??= new Map()).set(a.id, core.now);
    this.#line.backInLine(call);
    for (const a of agents) this.missed(a);
  }

  /** `agent` answered `call`: it is on the call, and the others who rang for it are free again. */
  answer(call: CallRecord, agent: AgentRecord): void {
    const core = this.#core;
    const others = call.ringing.filter((a) => a !== agent);
    call.ringing = [];
    call.fsm.transition('connected');
    call.agent = agent;
    call.answeredAt = core.now;
    agent.misses = 0;
    agent.callsToday++;
    core.transition(agent, 'on-call');
    const q = call.queue;
    this.#metrics.answered(q.metrics, agent.metrics, core.now, core.now - call.arrivedAt, q.config.serviceLevel.seconds);
    if (others.length > 0) {
      core.effects.push({ type: 'stop-ringing', callId: call.id, agentIds: others.map((a) => a.id), reason: 'answered-elsewhere' });
      for (const a of others) {
        a.call = null;
        core.transition(a, 'available');
      }
    }
  }

  /** The connected call ended: the agent wraps up for the queue's wrap-up seconds (none: ready at once). */
  wrapUp(agent: AgentRecord, call: CallRecord): void {
    const core = this.#core;
    const q = call.queue;
    const talkMs = core.now - call.answeredAt;
    agent.talkMsToday += talkMs;
    agent.call = null;
    this.#metrics.talked(q.metrics, agent.metrics, core.now, talkMs);
    agent.wrap = { queue: q, talkMs, since: core.now, stamp: ++this.#wrapSeq };
    core.transition(agent, 'wrap-up');
    if (q.config.wrapUpSec > 0) core.due.push(core.now + q.config.wrapUpSec * 1000, { kind: 'wrap-end', agent, stamp: agent.wrap.stamp });
    else this.endWrap(agent);
  }

  /** Wrap-up is over: the handle time feeds wait estimates, and the agent is ready (or goes where it asked). */
  endWrap(agent: AgentRecord): void {
    const wrap = agent.wrap!;
    agent.wrap = null;
    wrap.queue.handleTimes.add((wrap.talkMs + this.#core.now - wrap.since) / 1000);
    const pending = agent.pending;
    agent.pending = null;
    if (pending) this.#core.transition(agent, pending.state, pending.reason);
    else this.#core.transition(agent, 'available');
  }
}

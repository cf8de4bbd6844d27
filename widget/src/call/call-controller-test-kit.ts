/**
 * Test kit for the call controller: a controller wired to fakes of every port — a bridge whose SIP events the
 * test fires (`bridge()`), a visitor API that records requests, a clock the test advances.
 */
import type { WidgetOptions } from '../handshake.js';
import { CallController, type CallControllerPorts } from './call-controller.js';
import { CallStateMachine } from './call-state.js';
import type { CallViewPort } from './call-view.js';
import { CallbackScheduler } from './callback-scheduler.js';
import { SchedulerStateMachine } from './callback-scheduler-state.js';
import type { VisitorCall, VisitorCallEvents } from './sip-call.js';
import type { QueueStatus } from './status-info.js';
import type { VisitorCallGrant, VisitorTokenRequest } from './token-client.js';
import type { FieldErrors } from './validate.js';
import type { VisitorApi } from './visitor-api.js';

export const grant: VisitorCallGrant = {
  token: 't',
  expiresAt: '2030-01-01T00:00:00Z',
  sip: { wsUrl: 'ws://b/sip', domain: 'd', queueUri: 'sip:sales@d', visitorUri: 'sip:v@d', displayName: 'Siti' },
  iceServers: [],
};

class FakeTrack {
  stopped = false;
  stop(): void {
    this.stopped = true;
  }
}

export const queued = (position?: number, estimatedWaitSec?: number): QueueStatus => ({
  state: 'waiting',
  update: {
    kind: 'queued',
    ...(position === undefined ? {} : { position }),
    ...(estimatedWaitSec === undefined ? {} : { estimatedWaitSec }),
  },
});
export const ringing: QueueStatus = { state: 'waiting', update: { kind: 'ringing' } };
export const progress: QueueStatus = { state: 'waiting', update: { kind: 'progress' } };

/** A bridge's visitor API that records each request with the token it came with. */
export function fakeVisitorApi(answers: Partial<VisitorApi> = {}) {
  const requests: string[] = [];
  const api: VisitorApi = {
    callbackSlots: async (token) => {
      requests.push(`slots ${token}`);
      return answers.callbackSlots ? answers.callbackSlots(token) : { slots: ['2026-11-23T02:00:00.000Z'], timeZone: 'Asia/Jakarta' };
    },
    bookCallback: async (token, request) => {
      requests.push(`book ${token} ${JSON.stringify(request)}`);
      return answers.bookCallback ? answers.bookCallback(token, request) : { id: 'cb-1', at: request.at };
    },
    keepPlace: async (token, request) => {
      requests.push(`keep-place ${token} ${JSON.stringify(request)}`);
      if (answers.keepPlace) await answers.keepPlace(token, request);
    },
  };
  return { api, requests };
}

export function harness(mode: WidgetOptions['mode'], overrides: Partial<CallControllerPorts> = {},
  visitorAnswers: Partial<VisitorApi> = {}) {
  const track = new FakeTrack();
  const stream = { getTracks: () => [track] } as unknown as MediaStream;
  const tokenRequests: VisitorTokenRequest[] = [];
  const sent: string[] = [];
  let events: VisitorCallEvents | undefined;
  let clock = 1_000;
  const machine = new CallStateMachine();
  const schedulerMachine = new SchedulerStateMachine();
  const visitor = fakeVisitorApi(visitorAnswers);
  const states: string[] = [];
  machine.onChange((next) => states.push(next.state));
  const viewLog: { fieldErrors: FieldErrors[]; muted: boolean[]; remote: (MediaStream | null)[] } = {
    fieldErrors: [], muted: [], remote: [],
  };
  const view: CallViewPort = {
    showFieldErrors: (errors) => viewLog.fieldErrors.push(errors),
    showMuted: (muted) => viewLog.muted.push(muted),
    playRemote: (s) => viewLog.remote.push(s),
  };
  const call: VisitorCall = {
    callId: 'inv-1@visitor',
    hangup: () => {
      sent.push('BYE');
      events?.ended({ originator: 'local', cause: 'Terminated' });
    },
    setMuted: (muted) => sent.push(muted ? 'mute' : 'unmute'),
    sendDigit: (digit) => sent.push(`DTMF ${digit}`),
  };
  const controller = new CallController({
    options: { tenant: 'demo', queue: 'sales', mode, label: 'Call us', bridgeUrl: 'http://b/' },
    machine,
    scheduler: new CallbackScheduler(schedulerMachine),
    visitorApi: visitor.api,
    requestToken: async (request) => {
      tokenRequests.push(request);
      return { ...grant, token: `t${tokenRequests.length}` };
    },
    getMicrophone: async () => stream,
    startCall: async (_grant, _stream, e) => {
      events = e;
      return call;
    },
    now: () => clock,
    ...overrides,
  });
  controller.attachView(view);
  return {
    controller, machine, states, tokenRequests, sent, track, viewLog, schedulerMachine, visitor,
    bridge: () => events!,
    advance: (ms: number) => (clock += ms),
  };
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));


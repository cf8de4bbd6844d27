/**
 * Test helpers for the SIP unit tests (not shipped behaviour): an in-memory connection that records what is
 * sent, a transaction context on a ManualClock, and request/response fixtures built with the real builders.
 */
import { ManualClock } from '../clock.js';
import { ClosedError } from '../errors.js';
import type { SipConnection, SipTransportName } from './connection.js';
import { createRequest, createResponse, type ResponseOptions } from './message-builders.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { DEFAULT_TIMERS, silentLogger, type TransactionContext } from './transaction.js';
import { parseUri } from './uri.js';

let connSeq = 0;

/** A connection that records every text sent on it. */
export class MemoryConnection implements SipConnection {
  readonly id = `mem-${++connSeq}`;
  readonly transport: SipTransportName;
  readonly remote = { address: '203.0.113.7', port: 51000 };
  readonly sent: string[] = [];
  closed = false;
  /** Make the next send throw, as a dying socket does. */
  failSends = false;

  constructor(transport: SipTransportName = 'WSS') {
    this.transport = transport;
  }

  send(text: string): void {
    if (this.closed || this.failSends) throw ClosedError.transport();
    this.sent.push(text);
  }

  close(): void {
    this.closed = true;
  }
}

export interface RecordingContext extends TransactionContext {
  readonly clock: ManualClock;
  readonly sent: SipMessage[];
  terminatedCalls: number;
  failSends: boolean;
}

export function recordingContext(opts: { reliable?: boolean; clock?: ManualClock } = {}): RecordingContext {
  const ctx: RecordingContext = {
    clock: opts.clock ?? new ManualClock(),
    timers: { ...DEFAULT_TIMERS },
    reliable: opts.reliable ?? true,
    logger: silentLogger,
    sent: [],
    terminatedCalls: 0,
    failSends: false,
    send(msg) {
      if (ctx.failSends) throw ClosedError.transport();
      ctx.sent.push(msg);
    },
    onTerminated() {
      ctx.terminatedCalls++;
    },
  };
  return ctx;
}

export function request(method: string, opts: { body?: string; contentType?: string } = {}): SipRequest {
  return createRequest({
    method,
    uri: parseUri('sip:agent@sambung.example'),
    from: parseNameAddr('"Visitor" <sip:visitor@sambung.example>'),
    to: parseNameAddr('<sip:agent@sambung.example>'),
    via: { transport: 'WSS', host: 'client.invalid' },
    contact: parseNameAddr('<sip:v1@client.invalid;transport=ws>'),
    cseq: 1,
    ...opts,
  });
}

export function response(req: SipRequest, status: number, opts: ResponseOptions = {}): SipResponse {
  return createResponse(req, status, undefined, { toTag: 'uas-tag', ...opts });
}

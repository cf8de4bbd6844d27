import type { IncomingMessage } from 'node:http';
import type { Reply } from './fake-zendesk-http.js';
import type { FakeZendeskJson, FakeZendeskStore, FakeZendeskUser } from './fake-zendesk-store.js';

/** What every route of the fake Zendesk works with. */
export interface FakeZendeskContext {
  readonly store: FakeZendeskStore;
  readonly json: FakeZendeskJson;
  /** The user the credentials belong to (an admin). */
  readonly me: FakeZendeskUser;
  /** The fake's origin, e.g. `http://127.0.0.1:41234`. */
  readonly base: string;
  readonly maxAttachmentBytes: number;
  /** ISO time by the fake's clock. */
  now(): string;
  nowMs(): number;
}

export interface RouteRequest {
  readonly method: string;
  readonly url: URL;
  readonly req: IncomingMessage;
  readonly body: Buffer | 'too-large';
}

/** A route: the path pattern (after `/api/v2`, without `.json`) and its handler for the captured ids. */
export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  handle(ctx: FakeZendeskContext, request: RouteRequest, params: string[]): Reply;
}

/** A path id: Zendesk ids are integers; anything else is a record that cannot exist. */
export function idParam(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,18}$/.test(value) ? Number(value) : null;
}

/**
 * The `CrmAdapter` contract (CONVENTIONS #5): how the bridge talks to one tenant's CRM on the server side —
 * finding and creating the caller's contact, writing the call log and attaching the recording. Every CRM
 * connector (`connectors/<crm>/server`) implements it and runs `describeCrmAdapterConformance` from
 * `crm-conformance.ts` against its fake of the CRM.
 *
 * What each CRM receives after a call: one call log per call (created, then updated in place), and — when the
 * call was recorded — the recording as **stereo WAV** (`audio/wav`, PCM, caller on channel 1, agent on channel 2)
 * in parts of at most 50 MB (configurable), attached **in order**, part 1 first, each named
 * `…-part-<i>-of-<n>.wav`. Zendesk gets them on the voice ticket (`recording_url`, or uploaded to a comment),
 * HubSpot on the call engagement (`hs_call_recording_url` / `urlToRetrieveAuthedRecording`), Salesforce as
 * files on the Task; CRMs that fetch rather than receive use {@link RecordingPart.recordingUrl}.
 *
 * Design after SIP.js `api/transport.ts`: every member states what an implementation MUST and MUST NOT do.
 * Rules for all members:
 * - An implementation MUST report every failure as a {@link CrmError} with the right `kind` (see `crm-error.ts`):
 *   network errors, timeouts, 408, 429 and 5xx are `retryable` (429/503 with `retryAfterMs` from `Retry-After`);
 *   401/403 `auth`; 413 `too-large`; other 4xx `rejected` with the CRM's error text; an answer the CRM's API does
 *   not document (wrong status, not JSON, a missing id) `invalid-response` naming what was wrong. It MUST NOT throw
 *   anything else and MUST NOT swallow a failure and return a made-up value.
 * - An implementation MUST bound every request by a timeout; a request that does not answer is `retryable`.
 * - Every write carries an idempotency key. Repeating a write with the same key — after a timeout, a lost
 *   response, a crash — MUST NOT create a second contact, call log or attachment, and MUST return the same
 *   reference as the first time. Keys are at most 200 characters of `[A-Za-z0-9:._-]`.
 * - An implementation MUST NOT log or return credentials, and MUST treat every text field as plain text (a visitor
 *   types names and notes into a public form; CONVENTIONS #12).
 */
import type { CrmError } from './crm-error.js';

/** Who the call is for: one tenant, whose CRM this adapter instance is connected to. */
export interface CrmContext {
  readonly tenantId: string;
  /** The tenant's IANA time zone (`Asia/Jakarta`), for names like "Web User – 11/22 06:05". */
  readonly timeZone: string;
}

/** A person record in the CRM (Zendesk end-user, Salesforce Contact or Lead, HubSpot contact). */
export interface CrmContact {
  /** The CRM's id, opaque to the bridge (an adapter may encode a type, e.g. `Lead/00Q…`). */
  readonly id: string;
  readonly name: string;
  readonly phone: string | null;
  readonly email: string | null;
}

export interface NewCrmContact {
  /** What the visitor typed; null or blank → the adapter names the contact with `webUserName(at, timeZone)`. */
  readonly name: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  /** When the visitor called: the anonymous name shows this time, not the (possibly much later) delivery time. */
  readonly at: Date;
}

export type CallDirection = 'inbound' | 'outbound';

/** How the call ended, as the CRM's log shows it. */
export type CallOutcome = 'answered' | 'abandoned' | 'missed' | 'failed' | 'voicemail';

/** The call log as the bridge knows it when the call ends (mapped from the CDR). */
export interface CrmCallLog {
  /** Our CDR id. Adapters key the log on it (an external id) so every upsert of one call lands on one log. */
  readonly callId: string;
  readonly direction: CallDirection;
  /** The caller's number or address (the visitor's phone, or `web:<name>` when none was given). */
  readonly from: string;
  readonly to: string;
  /** The queue's display name. */
  readonly queue: string;
  /** Who answered; `crmUserId` when the tenant mapped our agent to a CRM user. */
  readonly agent: { readonly id: string; readonly name: string; readonly crmUserId?: string | undefined } | null;
  readonly startedAt: Date;
  /** Talk time in seconds (0 when never answered). */
  readonly durationSec: number;
  /** Seconds the caller waited before an answer or hang-up. */
  readonly waitSec: number;
  readonly outcome: CallOutcome;
  readonly disposition: string | null;
  readonly notes: string | null;
  /** The contact the log belongs to ({@link CrmContact.id}), or null when none could be chosen. */
  readonly contactId: string | null;
  /**
   * When the call was recorded: an expiring signed URL serving the whole recording (part 1 when split) with
   * HTTP Range, valid until the retention purge. For CRMs whose call log shows the recording through a link
   * (Zendesk `voice_comment.recording_url`); adapters that upload bytes ignore it.
   */
  readonly recordingUrl?: string | undefined;
}

/** The CRM's reference to a call log (its id), opaque to the bridge. */
export type CrmCallLogRef = string;

/** The CRM's reference to an attachment, opaque to the bridge. */
export type CrmAttachmentRef = string;

/** One part of a call's recording: a complete, playable stereo WAV file of its own. */
export interface RecordingPart {
  /** 1-based; parts are attached in index order. */
  readonly index: number;
  readonly total: number;
  /** e.g. `call-<callId>-part-1-of-3.wav`. */
  readonly filename: string;
  readonly contentType: 'audio/wav';
  readonly byteLength: number;
  /**
   * Opens the bytes from the start. May be called more than once (each call starts over); the adapter MUST send
   * the bytes unchanged (`byteLength` is their size, for CRMs that want it before the upload starts).
   */
  open(): AsyncIterable<Uint8Array>;
  /**
   * An expiring signed URL serving this part with HTTP Range, for CRMs that fetch the recording themselves
   * (Zendesk `recording_url`, HubSpot `urlToRetrieveAuthedRecording`) instead of receiving bytes.
   */
  readonly recordingUrl?: string | undefined;
}

export interface CrmAdapter {
  /**
   * Contacts whose phone is `phone`.
   *
   * MUST compare numbers by their digits, ignoring formatting (spaces, dashes, dots, parentheses, a leading `+` or
   * `00` international prefix), so `+62 21-555 0100` finds `0062215550100`. MUST return `[]` — never every
   * contact — when `phone` has fewer than 5 digits. MUST return `[]` when nothing matches (not an error). MAY cap
   * the result at the CRM's first page (at least 10 matches).
   */
  findContactsByPhone(ctx: CrmContext, phone: string): Promise<CrmContact[]>;

  /**
   * Contacts whose e-mail is `email`, compared case-insensitively after trimming. MUST return `[]` for a blank
   * address or no match.
   */
  findContactsByEmail(ctx: CrmContext, email: string): Promise<CrmContact[]>;

  /**
   * Creates a contact and returns it.
   *
   * When `contact.name` is null or blank the contact MUST be named `webUserName(contact.at, ctx.timeZone)`
   * ("Web User – MM/DD HH:MM" in the tenant's time zone). MUST store name, phone and e-mail as given (plain text).
   * MUST NOT create a second contact when called again with the same `idempotencyKey`; it returns the first.
   * MUST NOT merge with or modify an existing contact (matching is the caller's decision, through the finds).
   */
  createContact(ctx: CrmContext, contact: NewCrmContact, idempotencyKey: string): Promise<CrmContact>;

  /**
   * Creates the call log of `log.callId`, or updates it when the CRM already holds one for that call, and returns
   * its reference.
   *
   * MUST keep one log per `log.callId`: a new `idempotencyKey` for the same call (an agent edited the disposition
   * after wrap-up) updates that log in place and returns the same reference. A repeat with the same key MUST NOT
   * change anything and returns the same reference. MUST link the log to `log.contactId` when given.
   */
  upsertCallLog(ctx: CrmContext, log: CrmCallLog, idempotencyKey: string): Promise<CrmCallLogRef>;

  /**
   * Attaches one recording part to the call log `callLogRef` and returns the attachment's reference.
   *
   * The bridge calls this for part 1, then part 2 …, each only after the previous one resolved; the adapter MUST
   * attach in call order and MUST NOT reorder, merge or re-encode parts. A repeat with the same `idempotencyKey`
   * MUST NOT attach a second copy. A body above the CRM's limit MUST fail as `too-large` without a partial
   * attachment left behind. When the CRM fetches recordings by URL, the adapter MAY send `part.recordingUrl` instead
   * of the bytes.
   */
  attachRecordingPart(
    ctx: CrmContext,
    callLogRef: CrmCallLogRef,
    part: RecordingPart,
    idempotencyKey: string,
  ): Promise<CrmAttachmentRef>;
}

/** Re-exported so adapter files need one import for the contract and its error. */
export type { CrmError };

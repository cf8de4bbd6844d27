import { randomUUID } from 'node:crypto';
import type {
  CrmAdapter,
  CrmAttachmentRef,
  CrmCallLog,
  CrmCallLogRef,
  CrmContact,
  CrmContext,
  NewCrmContact,
  RecordingPart,
} from './crm-adapter.js';
import { samePhone, sameEmail, phoneDigits, MIN_PHONE_DIGITS, normalizeEmail } from './contact-match.js';
import { CrmError } from './crm-error.js';
import { errorFor, type CrmFailure } from './crm-failure.js';
import { readPartBytes } from './recording-part.js';
import { contactName } from './web-user-name.js';

export interface MemoryAttachment {
  ref: CrmAttachmentRef;
  filename: string;
  contentType: string;
  bytes: Buffer;
  index: number;
  total: number;
}

export interface MemoryCallLog extends CrmCallLog {
  ref: CrmCallLogRef;
}

export interface MemoryCrmOptions {
  /** Parts above this many bytes fail as `too-large` (default 50 MiB). */
  maxPartBytes?: number;
}

interface TenantCrm {
  contacts: CrmContact[];
  logs: Map<string, MemoryCallLog>; // by callId
  attachments: Map<CrmCallLogRef, MemoryAttachment[]>;
  /** Idempotency: `<operation> <key>` → the first result. */
  done: Map<string, unknown>;
}

/**
 * The reference {@link CrmAdapter}: the contract's rules with no network in between, one CRM per tenant id.
 * Tests of the delivery pipeline use it where HTTP would only add noise; `failNext` makes the next call fail the
 * way a real CRM's adapter reports it.
 */
export class MemoryCrmAdapter implements CrmAdapter {
  readonly #tenants = new Map<string, TenantCrm>();
  readonly #failures: CrmFailure[] = [];
  readonly #maxPartBytes: number;
  /** Every call, in order, for tests: `<operation> <idempotency key or query>`. */
  readonly calls: string[] = [];

  constructor(options: MemoryCrmOptions = {}) {
    this.#maxPartBytes = options.maxPartBytes ?? 50 * 1024 * 1024;
  }

  /** The next `times` calls fail as `failure` describes. */
  failNext(failure: CrmFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.#failures.push(failure);
  }

  async findContactsByPhone(ctx: CrmContext, phone: string): Promise<CrmContact[]> {
    return this.#run('findContactsByPhone', phone, () => {
      if (phoneDigits(phone).length < MIN_PHONE_DIGITS) return [];
      return this.#tenant(ctx).contacts.filter((c) => samePhone(c.phone, phone));
    });
  }

  async findContactsByEmail(ctx: CrmContext, email: string): Promise<CrmContact[]> {
    return this.#run('findContactsByEmail', email, () => {
      if (normalizeEmail(email) === '') return [];
      return this.#tenant(ctx).contacts.filter((c) => sameEmail(c.email, email));
    });
  }

  async createContact(ctx: CrmContext, contact: NewCrmContact, idempotencyKey: string): Promise<CrmContact> {
    return this.#write(ctx, 'createContact', idempotencyKey, () => {
      const created: CrmContact = {
        id: randomUUID(),
        name: contactName(contact.name, contact.at, ctx.timeZone),
        phone: contact.phone,
        email: contact.email,
      };
      this.#tenant(ctx).contacts.push(created);
      return created;
    });
  }

  async upsertCallLog(ctx: CrmContext, log: CrmCallLog, idempotencyKey: string): Promise<CrmCallLogRef> {
    return this.#write(ctx, 'upsertCallLog', idempotencyKey, () => {
      const logs = this.#tenant(ctx).logs;
      const ref = logs.get(log.callId)?.ref ?? randomUUID();
      logs.set(log.callId, { ...log, ref });
      return ref;
    });
  }

  async attachRecordingPart(
    ctx: CrmContext,
    callLogRef: CrmCallLogRef,
    part: RecordingPart,
    idempotencyKey: string,
  ): Promise<CrmAttachmentRef> {
    const bytes = await readPartBytes(part);
    return this.#write(ctx, 'attachRecordingPart', idempotencyKey, () => {
      const tenant = this.#tenant(ctx);
      if (![...tenant.logs.values()].some((l) => l.ref === callLogRef)) throw CrmError.rejected(`no call log ${callLogRef}`, { status: 404 });
      if (bytes.byteLength > this.#maxPartBytes) throw CrmError.tooLarge(`part of ${bytes.byteLength} bytes exceeds ${this.#maxPartBytes}`);
      const ref = randomUUID();
      const list = tenant.attachments.get(callLogRef) ?? [];
      list.push({ ref, filename: part.filename, contentType: part.contentType, bytes, index: part.index, total: part.total });
      tenant.attachments.set(callLogRef, list);
      return ref;
    });
  }

  // --- what the CRM holds, for tests ---

  contacts(tenantId: string): CrmContact[] {
    return [...(this.#tenants.get(tenantId)?.contacts ?? [])];
  }

  callLogs(tenantId: string): MemoryCallLog[] {
    return [...(this.#tenants.get(tenantId)?.logs.values() ?? [])];
  }

  attachments(tenantId: string, callLogRef: CrmCallLogRef): MemoryAttachment[] {
    return [...(this.#tenants.get(tenantId)?.attachments.get(callLogRef) ?? [])];
  }

  // --- internals ---

  #tenant(ctx: CrmContext): TenantCrm {
    let tenant = this.#tenants.get(ctx.tenantId);
    if (!tenant) {
      tenant = { contacts: [], logs: new Map(), attachments: new Map(), done: new Map() };
      this.#tenants.set(ctx.tenantId, tenant);
    }
    return tenant;
  }

  /** Runs a read, failing first when a failure is scheduled (a lost answer to a read is just a timeout). */
  #run<T>(operation: string, detail: string, fn: () => T): T {
    this.calls.push(`${operation} ${detail}`);
    const failure = this.#failures.shift();
    if (failure) throw errorFor(failure, operation);
    return structuredClone(fn());
  }

  /** Runs a write once per idempotency key; a `lost-response` failure applies the write, then fails. */
  #write<T>(ctx: CrmContext, operation: string, key: string, fn: () => T): T {
    this.calls.push(`${operation} ${key}`);
    const failure = this.#failures.shift();
    if (failure && failure.kind !== 'lost-response') throw errorFor(failure, operation);
    const done = this.#tenant(ctx).done;
    const id = `${operation} ${key}`;
    if (!done.has(id)) done.set(id, fn());
    if (failure) throw errorFor(failure, operation);
    return structuredClone(done.get(id) as T);
  }
}

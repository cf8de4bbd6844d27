import { afterEach, describe, expect, it } from 'vitest';
import type { CrmCallLog, CrmContext } from '../../../bridge-server/src/crm/crm-adapter.js';
import { describeCrmAdapterConformance, sampleCallLog } from '../../../bridge-server/src/crm/crm-conformance.js';
import { bufferPart } from '../../../bridge-server/src/crm/recording-part.js';
import { callLogOf, startZendeskHarness, summaryFields, type ZendeskHarness } from '../fake/fake-zendesk-harness.js';

describeCrmAdapterConformance('ZendeskCrmAdapter (recordings: upload) against the fake Zendesk', () => startZendeskHarness({ recordings: 'upload' }));
describeCrmAdapterConformance('ZendeskCrmAdapter (recordings: link) against the fake Zendesk', () => startZendeskHarness({ recordings: 'link' }));

const ctx: CrmContext = { tenantId: 'tenant-zd', timeZone: 'Asia/Jakarta' };

const callLog = (overrides: Partial<CrmCallLog> = {}): CrmCallLog => sampleCallLog({ callId: 'call-7', to: '+62 21 555 0000', ...overrides });

const wav = (fill: number, size: number): Buffer => Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(size - 4, fill)]);

describe('ZendeskCrmAdapter: the voice ticket', () => {
  let h: ZendeskHarness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('creates one Talk ticket per call with the voice comment, requester, answering agent and via_id 45 inbound', async () => {
    h = await startZendeskHarness({ recordings: 'link' });
    const agent = h.zendesk.seedAgent({ name: 'Alice Agent', email: 'alice@acme.test' });
    const siti = await h.adapter.createContact(ctx, { name: 'Siti', phone: '+62 812 3456 7890', email: null, at: new Date() }, 'c-1');
    const log = callLog({ contactId: siti.id, agent: { id: 'agent-1', name: 'Alice Agent', crmUserId: String(agent.id) }, recordingUrl: 'https://bridge.example/r/1?sig=abc' });
    const ref = await h.adapter.upsertCallLog(ctx, log, 'call-log:call-7');

    const voiceTickets = h.zendesk.requests().filter((r) => r.method === 'POST' && r.path === '/api/v2/channels/voice/tickets.json');
    expect(voiceTickets).toHaveLength(1);
    const ticket = h.zendesk.ticket(ref)!;
    expect(ticket).toMatchObject({
      external_id: 'sambung-call:call-7',
      subject: 'Call from +62 812 3456 7890 (Sales)',
      requester_id: Number(siti.id),
      via: { channel: 'voice', rel: 'inbound' },
    });
    expect(ticket.tags).toEqual(expect.arrayContaining(['sambung', 'sambung_inbound', 'sambung_answered']));
    const [voice, summary] = h.zendesk.comments(ref);
    expect(voice).toMatchObject({ type: 'VoiceComment', public: false });
    expect(voice!.data).toEqual({
      from: '+62 812 3456 7890',
      to: '+62 21 555 0000',
      recording_url: 'https://bridge.example/r/1?sig=abc',
      started_at: '2026-11-21T03:00:00.000Z',
      call_duration: 180,
      answered_by_id: agent.id,
      transcription_text: null,
      location: null,
    });
    expect(summary).toMatchObject({ type: 'Comment', public: false });
    expect(summaryFields(summary!.body)).toMatchObject({
      Queue: 'Sales', Agent: 'Alice Agent', Direction: 'inbound', Outcome: 'answered', Started: '2026-11-21 10:00 (Asia/Jakarta)',
      Wait: '12 s', 'Talk time': '180 s', Disposition: '—', Notes: '—',
    });
  });

  for (const [title, overrides, via, rel, subject] of [
    ['an outbound call is via_id 46', { direction: 'outbound' }, 46, 'outbound', 'Call to +62 21 555 0000 (Sales)'],
    ['a voicemail is via_id 44', { outcome: 'voicemail', agent: null, durationSec: 0 }, 44, 'voicemail', 'Voicemail from +62 812 3456 7890 (Sales)'],
    ['a missed inbound call is via_id 45', { outcome: 'missed', agent: null, durationSec: 0 }, 45, 'inbound', 'Missed call from +62 812 3456 7890 (Sales)'],
  ] as const) {
    it(`${title} ("${subject}")`, async () => {
      h = await startZendeskHarness();
      const ref = await h.adapter.upsertCallLog(ctx, callLog(overrides as Partial<CrmCallLog>), 'k-1');
      const sent = h.zendesk.requests().find((r) => r.path === '/api/v2/channels/voice/tickets.json')!;
      expect(sent.json).toMatchObject({ ticket: { via_id: via, external_id: 'sambung-call:call-7' } });
      expect(h.zendesk.ticket(ref)).toMatchObject({ subject, via: { rel } });
    });
  }

  it('leaves out answered_by_id for an agent without a numeric Zendesk id, and recording_url in upload mode', async () => {
    h = await startZendeskHarness({ recordings: 'upload' });
    const ref = await h.adapter.upsertCallLog(ctx, callLog({ agent: { id: 'a', name: 'Bob', crmUserId: 'bob@acme.test' }, recordingUrl: 'https://bridge.example/r/1' }), 'k');
    expect(h.zendesk.comments(ref)[0]!.data).toMatchObject({ answered_by_id: null, recording_url: null });
  });

  it('keeps what an agent or visitor typed as plain text: markup is escaped, a line break cannot forge a summary field', async () => {
    h = await startZendeskHarness();
    const notes = '<script>alert(1)</script>\nDisposition: fake';
    const ref = await h.adapter.upsertCallLog(ctx, callLog({ queue: 'Sales\nOutcome: forged', notes, disposition: '<b>sale</b>' }), 'k');
    const summary = h.zendesk.comments(ref)[1]!;
    expect(summaryFields(summary.body)).toMatchObject({ Queue: 'Sales Outcome: forged', Outcome: 'answered', Disposition: '<b>sale</b>', Notes: notes });
    const res = await fetch(`${h.zendesk.url}/api/v2/tickets/${ref}/comments.json`, { headers: { authorization: basic() } });
    const html = ((await res.json()) as { comments: Array<{ html_body: string }> }).comments[1]!.html_body;
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('updates the same ticket for a new key (a private comment with the new disposition), and changes nothing for a repeated key', async () => {
    h = await startZendeskHarness();
    const ref = await h.adapter.upsertCallLog(ctx, callLog(), 'call-log:call-7');
    expect(await h.adapter.upsertCallLog(ctx, callLog({ notes: 'replayed' }), 'call-log:call-7')).toBe(ref);
    expect(h.zendesk.comments(ref)).toHaveLength(2);
    expect(await h.adapter.upsertCallLog(ctx, callLog({ disposition: 'sale', notes: 'wants a quote' }), 'call-log:call-7:r2')).toBe(ref);
    expect(h.zendesk.tickets()).toHaveLength(1);
    expect(h.zendesk.comments(ref).map((c) => c.type)).toEqual(['VoiceComment', 'Comment', 'Comment']);
    expect(callLogOf(h.zendesk, h.zendesk.ticket(ref)!)).toMatchObject({ disposition: 'sale', notes: 'wants a quote' });
  });

  it('links the ticket to a contact chosen after it was created', async () => {
    h = await startZendeskHarness();
    const ref = await h.adapter.upsertCallLog(ctx, callLog(), 'k-1');
    const chosen = h.zendesk.seedEndUser({ name: 'Chosen', phone: '+62 812 3456 7890' });
    await h.adapter.upsertCallLog(ctx, callLog({ contactId: String(chosen.id) }), 'k-2');
    expect(h.zendesk.ticket(ref)!.requester_id).toBe(chosen.id);
  });

  it('survives a bridge restart: a new adapter finds the key recorded on the ticket and adds nothing', async () => {
    h = await startZendeskHarness();
    const ref = await h.adapter.upsertCallLog(ctx, callLog(), 'call-log:call-7');
    const restarted = h.connect();
    expect(await restarted.upsertCallLog(ctx, callLog({ notes: 'again' }), 'call-log:call-7')).toBe(ref);
    expect(h.zendesk.comments(ref)).toHaveLength(2);
  });

  it('lands the summary once when the answer to the update was lost', async () => {
    h = await startZendeskHarness();
    h.zendesk.failNext({ kind: 'lost-response' }, 'PUT /api/v2/tickets/');
    await expect(h.adapter.upsertCallLog(ctx, callLog(), 'call-log:call-7')).rejects.toMatchObject({ kind: 'retryable' });
    const ref = await h.adapter.upsertCallLog(ctx, callLog(), 'call-log:call-7');
    expect(h.zendesk.tickets()).toHaveLength(1);
    expect(h.zendesk.comments(ref).filter((c) => c.type === 'Comment')).toHaveLength(1);
  });

  it('refuses a contact id that is not a Zendesk id without sending anything', async () => {
    h = await startZendeskHarness();
    await expect(h.adapter.upsertCallLog(ctx, callLog({ contactId: 'Lead/00Q1' }), 'k')).rejects.toMatchObject({ kind: 'rejected' });
    expect(h.zendesk.requests()).toEqual([]);
  });
});

describe('ZendeskCrmAdapter: recording parts', () => {
  let h: ZendeskHarness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('uploads parts in order as private comments whose attachments download byte for byte', async () => {
    h = await startZendeskHarness({ recordings: 'upload' });
    const ref = await h.adapter.upsertCallLog(ctx, callLog(), 'k');
    const parts = [1, 2, 3].map((i) => bufferPart(wav(i, 1000 + i), { index: i, total: 3, filename: `call-7-part-${i}-of-3.wav` }));
    for (const p of parts) await h.adapter.attachRecordingPart(ctx, ref, p, `part:rec-7:${p.index}`);
    const comments = h.zendesk.comments(ref).slice(2);
    expect(comments.map((c) => [c.public, c.body.split('\n')[0]])).toEqual([1, 2, 3].map((i) => [false, `Recording part ${i} of 3 (call-7-part-${i}-of-3.wav)`]));
    const files = h.zendesk.attachments(ref);
    expect(files.map((f) => [f.fileName, f.contentType])).toEqual([1, 2, 3].map((i) => [`call-7-part-${i}-of-3.wav`, 'audio/wav']));
    for (const [i, file] of files.entries()) {
      const res = await fetch(file.contentUrl);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(Buffer.from(await res.arrayBuffer()).equals(wav(i + 1, 1001 + i))).toBe(true);
    }
  });

  it('answers the same reference for a repeated part, even from a restarted adapter', async () => {
    h = await startZendeskHarness({ recordings: 'upload' });
    const ref = await h.adapter.upsertCallLog(ctx, callLog(), 'k');
    const part = bufferPart(wav(1, 100), { index: 1, total: 1, filename: 'a.wav' });
    const first = await h.adapter.attachRecordingPart(ctx, ref, part, 'part:1');
    expect(await h.connect({ recordings: 'upload' }).attachRecordingPart(ctx, ref, part, 'part:1')).toBe(first);
    expect(h.zendesk.attachments(ref)).toHaveLength(1);
    expect(h.zendesk.requests().filter((r) => r.path === '/api/v2/uploads.json')).toHaveLength(1);
  });

  it('refuses a part above Zendesk\'s attachment limit as too-large and leaves no comment, then takes one that fits', async () => {
    h = await startZendeskHarness({ recordings: 'upload' }, { maxAttachmentBytes: 2000 });
    const ref = await h.adapter.upsertCallLog(ctx, callLog(), 'k');
    const big = bufferPart(wav(1, 2001), { index: 1, total: 1, filename: 'big.wav' });
    await expect(h.adapter.attachRecordingPart(ctx, ref, big, 'part:1')).rejects.toMatchObject({ kind: 'too-large', status: 413 });
    expect(h.zendesk.comments(ref)).toHaveLength(2);
    await h.adapter.attachRecordingPart(ctx, ref, bufferPart(wav(1, 2000), { index: 1, total: 1, filename: 'fits.wav' }), 'part:1b');
    expect(h.zendesk.attachments(ref).map((a) => a.size)).toEqual([2000]);
  });

  it('in link mode keeps part 1 on the voice comment and adds a voice comment with each later part\'s URL, once', async () => {
    h = await startZendeskHarness({ recordings: 'link' });
    const ref = await h.adapter.upsertCallLog(ctx, callLog({ recordingUrl: 'https://bridge.example/r/p1' }), 'k');
    const part = (i: number) => bufferPart(wav(i, 64), { index: i, total: 2, filename: `p${i}.wav`, recordingUrl: `https://bridge.example/r/p${i}?sig=${i}` });
    const one = await h.adapter.attachRecordingPart(ctx, ref, part(1), 'part:1');
    const two = await h.adapter.attachRecordingPart(ctx, ref, part(2), 'part:2');
    expect(await h.adapter.attachRecordingPart(ctx, ref, part(2), 'part:2')).toBe(two);
    expect(one).not.toBe(two);
    const voices = h.zendesk.comments(ref).filter((c) => c.type === 'VoiceComment');
    expect(voices.map((c) => c.data!.recording_url)).toEqual(['https://bridge.example/r/p1', 'https://bridge.example/r/p2?sig=2']);
    expect(voices[1]!.data).toMatchObject({ from: '+62 812 3456 7890', to: '+62 21 555 0000', call_duration: 180 });
    expect(h.zendesk.attachments(ref)).toEqual([]);
  });

  it('in link mode adds part 1 too when the ticket was created without a recording link', async () => {
    h = await startZendeskHarness({ recordings: 'link' });
    const ref = await h.adapter.upsertCallLog(ctx, callLog(), 'k');
    await h.adapter.attachRecordingPart(ctx, ref, bufferPart(wav(1, 64), { index: 1, total: 1, filename: 'p1.wav', recordingUrl: 'https://bridge.example/r/p1' }), 'part:1');
    expect(h.zendesk.comments(ref).filter((c) => c.type === 'VoiceComment').map((c) => c.data!.recording_url)).toEqual([null, 'https://bridge.example/r/p1']);
  });

  it('refuses a call log reference that is not a ticket id, and a ticket Zendesk does not have', async () => {
    h = await startZendeskHarness({ recordings: 'upload' });
    const part = bufferPart(wav(1, 64), { index: 1, total: 1, filename: 'a.wav' });
    await expect(h.adapter.attachRecordingPart(ctx, 'not-a-ticket', part, 'p')).rejects.toMatchObject({ kind: 'rejected' });
    await expect(h.adapter.attachRecordingPart(ctx, '424242', part, 'p')).rejects.toMatchObject({ kind: 'rejected', status: 404, crmMessage: 'RecordNotFound: Not found' });
  });
});

function basic(): string {
  return `Basic ${Buffer.from('integration@acme.test/token:zd-api-token-0123456789abcdef').toString('base64')}`;
}

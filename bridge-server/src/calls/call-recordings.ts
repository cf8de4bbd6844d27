import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { RecordingWriter, renderSealedWavParts, type RecordingKey } from '../recordings/index.js';
import type { SipLogger } from '../sip/transaction.js';
import type { Recording } from '../store/recording-repo.js';
import type { Store } from '../store/store.js';
import type { Call } from './call.js';

export interface CallRecordingsDeps {
  store: Store;
  clock: Clock;
  log: SipLogger;
  key: RecordingKey;
  /** Folder of the encrypted `.srec` files and the rendered WAV parts (encrypted too: `.wav.enc`). */
  dir: string;
  /** Largest WAV part handed to a CRM. */
  partMaxBytes: number;
  /** A recording was rendered into parts (hand it to delivery). */
  onRendered?(recording: Recording): void;
}

interface Active {
  writer: RecordingWriter;
  recordingId: string;
  tenantId: string;
}

/**
 * Records connected calls: the caller's leg on channel 1 and the agent's on channel 2, encrypted in chunks
 * while the call runs (a crash loses at most the last ~5 s); after hang-up the recording is rendered to stereo
 * WAV parts, encrypted at rest under the same key (`recordings/sealed-wav-parts.ts`: no plaintext audio is ever
 * on disk; readers decrypt on the fly), recorded in the store, then handed to delivery. Recordings interrupted
 * by a crash are rendered at the next start up to their last intact chunk. A recording starts with a marker of
 * what the caller heard of the recording-consent announcement, when the queue played one.
 */
export class CallRecordings {
  readonly #d: CallRecordingsDeps;
  readonly #active = new Map<string, Active>();

  constructor(deps: CallRecordingsDeps) {
    this.#d = deps;
  }

  /**
   * Start recording a call that just connected (the queue's recording setting was checked by the caller), or a
   * voicemail (`voicemail: true`: only the caller, on channel 1).
   */
  async start(call: Call, opts: { voicemail?: boolean } = {}): Promise<void> {
    const media = call.agentMedia;
    if ((!media && !opts.voicemail) || this.#active.has(call.id)) return;
    const recordingId = randomUUID();
    const writer = await RecordingWriter.open({
      dir: this.#d.dir,
      recordingId,
      key: this.#d.key,
      clock: this.#d.clock,
      onError: (err) => this.#d.log.error({ err, callId: call.id }, 'recording write failed'),
    });
    // Hold audio stopped before recording starts, so a prompt still "playing" was cut short too.
    const consent = call.consentAnnouncement === 'none' ? null : call.consentAnnouncement === 'played' ? 'played' : 'interrupted';
    if (consent) writer.markConsentAnnouncement(consent);
    writer.attachToLeg(call.visitorMedia, 1);
    if (media) writer.attachToLeg(media, 2);
    this.#active.set(call.id, { writer, recordingId, tenantId: call.tenantId });
    await this.#d.store.recordings.create({ id: recordingId, tenantId: call.tenantId, callId: call.id, path: writer.path, consent });
    if (call.ended) await this.finish(call.id); // it ended while the file was being opened
  }

  /** Redaction: while paused nothing is recorded (the WAV gets silence there). */
  setPaused(callId: string, paused: boolean): boolean {
    const active = this.#active.get(callId);
    if (!active) return false;
    if (paused) active.writer.pause();
    else active.writer.resume();
    return true;
  }

  isRecording(callId: string): boolean {
    return this.#active.has(callId);
  }

  /** The call ended: close, render and split its recording. */
  async finish(callId: string): Promise<Recording | null> {
    const active = this.#active.get(callId);
    if (!active) return null;
    this.#active.delete(callId);
    await active.writer.close();
    return this.#render(active.tenantId, active.recordingId, active.writer.path);
  }

  /** After a crash: render every recording that never finished, up to its last intact chunk. */
  async recover(): Promise<Recording[]> {
    const open = (await this.#d.store.recordings.expired(new Date(this.#d.clock.now() + 1000))).filter((r) => r.state === 'recording');
    const rendered: Recording[] = [];
    for (const r of open) {
      const done = await this.#render(r.tenantId, r.id, r.path);
      if (done) rendered.push(done);
    }
    return rendered;
  }

  async #render(tenantId: string, recordingId: string, source: string): Promise<Recording | null> {
    const d = this.#d;
    try {
      const wav = await renderSealedWavParts({
        source,
        key: d.key,
        recordingId,
        dir: d.dir,
        maxPartBytes: d.partMaxBytes,
        createdAt: d.clock.now(),
      });
      // `bytes` are the parts' plaintext sizes: what a CRM receives and a link serves.
      const recording = await d.store.recordings.rendered(tenantId, recordingId, {
        bytes: wav.bytes,
        durationSec: wav.durationSec,
        parts: wav.parts.map((p) => ({ index: p.index, path: p.path, bytes: p.bytes })),
      });
      if (!wav.intact) d.log.warn({ recordingId, lastGoodChunk: wav.lastGoodChunk }, 'recording was cut short; rendered up to its last intact chunk');
      if (wav.consentAnnouncement) d.log.info({ recordingId, consentAnnouncement: wav.consentAnnouncement }, 'recording notes the consent announcement');
      d.onRendered?.(recording);
      return recording;
    } catch (err) {
      d.log.error({ err, recordingId }, 'rendering a recording failed');
      await d.store.recordings.failed(tenantId, recordingId, err instanceof Error ? err.message : String(err)).catch(() => {});
      return null;
    }
  }

  /** Close every writer (shutdown): the recordings are rendered. */
  async close(): Promise<void> {
    await Promise.all([...this.#active.keys()].map((id) => this.finish(id)));
  }
}

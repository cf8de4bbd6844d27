/**
 * The `logCall` argument rules of the HostAdapter contract (non-empty call id, `startedAt ≤ endedAt`,
 * `talkSeconds ≥ 0`). The same rules as the softphone's standalone host, which keeps its copy private.
 */
import { HostAdapterError, type CallLogEntry } from '../../softphone/src/host-adapter.js';

export function validateCallLog(log: CallLogEntry): void {
  if (typeof log.callId !== 'string' || log.callId.trim() === '') {
    throw HostAdapterError.invalidArgument('logCall needs a callId');
  }
  const started = Date.parse(log.startedAt);
  const ended = Date.parse(log.endedAt);
  if (Number.isNaN(started) || Number.isNaN(ended) || ended < started) {
    throw HostAdapterError.invalidArgument('logCall needs startedAt ≤ endedAt as ISO 8601 timestamps');
  }
  if (!Number.isFinite(log.talkSeconds) || log.talkSeconds < 0) {
    throw HostAdapterError.invalidArgument('logCall needs talkSeconds ≥ 0');
  }
}

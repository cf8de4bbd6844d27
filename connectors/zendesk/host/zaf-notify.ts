/**
 * `client.invoke('notify', message, kind)` arguments for a softphone notice.
 *
 * Zendesk renders a notification's message as HTML (Core Apps API, `notify`: the message may contain markup),
 * and the softphone's notices carry text a visitor typed (a caller's name, a clicked number). So the message
 * is HTML-escaped here and shows as the very text the softphone passed. The framework's kinds are `notice`
 * (its default), `alert` and `error`.
 */
import type { NoticeKind } from '../../softphone/src/host-adapter.js';

export type ZafNotifyKind = 'notice' | 'alert' | 'error';

const KINDS: Readonly<Record<NoticeKind, ZafNotifyKind>> = { info: 'notice', warning: 'alert', error: 'error' };

/** Longest message sent; Zendesk's notification is a small toast and the contract allows any length. */
export const MAX_NOTIFY_CHARS = 500;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the five characters that are markup in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

export function zafNotifyArgs(message: string, kind: NoticeKind): [string, ZafNotifyKind] {
  const text = String(message);
  const shortened = text.length > MAX_NOTIFY_CHARS ? `${text.slice(0, MAX_NOTIFY_CHARS - 1)}…` : text;
  return [escapeHtml(shortened), KINDS[kind] ?? 'notice'];
}

/**
 * The headers the bridge adds to its INVITE to an agent's softphone and to its responses to the visitor.
 * Values are percent-encoded UTF-8 (encodeURIComponent): a visitor's text can then never smuggle a CRLF or a
 * comma into SIP, and the softphone decodes them and renders them as text (CONVENTIONS #12).
 */
export const H = {
  callId: 'X-Sambung-Call-Id',
  /** `call` (a visitor waiting on the line) or `callback` (a callback the visitor asked for). */
  kind: 'X-Sambung-Call-Kind',
  /** On 182 Queued: the estimated wait in whole seconds (absent when unknown). */
  estimatedWait: 'X-Sambung-Estimated-Wait',
  /** On the 200 OK of a call sent to voicemail: percent-encoded JSON `{reason, maxSeconds, greeting?}`. */
  voicemail: 'X-Sambung-Voicemail',
  /** On the final 480 of a deflected call: percent-encoded JSON of the deflection (type, reason, details). */
  deflection: 'X-Sambung-Deflection',
  queue: 'X-Sambung-Queue',
  callerName: 'X-Sambung-Caller-Name',
  callerPhone: 'X-Sambung-Caller-Phone',
  callerEmail: 'X-Sambung-Caller-Email',
  /** On 182 Queued: the caller's 1-based position in its queue. */
  queuePosition: 'X-Sambung-Queue-Position',
  /** On the 200 OK to the visitor: the answering agent's display name. */
  agent: 'X-Sambung-Agent',
} as const;

export function encodeHeaderValue(value: string): string {
  return encodeURIComponent(value);
}

export function decodeHeaderValue(value: string | undefined): string {
  if (!value) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return '';
  }
}

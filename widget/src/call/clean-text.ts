/**
 * Cleaning of text the bridge relays to the visitor (an agent's name, a deflection message, an error detail).
 * Pure. The result is still only ever inserted with `textContent` (CONVENTIONS #12); this removes what would
 * mislead even as text: C0/C1 controls and the Unicode bidi embedding/override/isolate marks ("Trojan Source",
 * CVE-2021-42574), and caps the length in code points so nothing can flood the panel.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
const UNSAFE_KEEP_NEWLINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * @param maxLength in code points, not UTF-16 units (an emoji counts as one).
 * @param multiline keep `\n` (a configured message may have paragraphs); runs of 3+ newlines collapse to 2.
 */
export function cleanText(raw: string, maxLength: number, multiline = false): string {
  const stripped = multiline
    ? raw.replace(/\r\n?/g, '\n').replace(UNSAFE_KEEP_NEWLINES, '').replace(/\n{3,}/g, '\n\n')
    : raw.replace(UNSAFE, '');
  return [...stripped.trim()].slice(0, maxLength).join('').trim();
}

/** `decodeURIComponent` that leaves a malformed sequence (`%E0%A4%A`, a lone `%`) as sent instead of throwing. */
export function percentDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

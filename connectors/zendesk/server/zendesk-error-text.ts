import { CrmError } from '../../../bridge-server/src/crm/crm-error.js';
import { crmErrorFromResponse, errorText, type FailedResponse } from '../../../bridge-server/src/crm/crm-http-errors.js';

/**
 * Zendesk's error bodies (https://developer.zendesk.com/api-reference/introduction/requests/ and the examples
 * throughout the reference) come in three shapes:
 *
 * ```
 * {"error": "Couldn't authenticate you"}                                          401
 * {"error": "RecordNotFound", "description": "Not found"}                         404
 * {"error": "RecordInvalid", "description": "Record validation errors",
 *  "details": {"email": [{"description": "Email: x is not properly formatted", "error": "InvalidFormat"}]}}   422
 * {"error": {"title": "Forbidden", "message": "You do not have access to this page"}}                       some 403s
 * ```
 *
 * The shared mapping (`crm-http-errors.ts`) decides the kind from the status; for `rejected` the operator needs
 * the field-level `details` too, which the generic `errorText` does not read, so this module adds them.
 */
const MAX_TEXT = 500;

/** The words of a Zendesk error body: `error: description (field: detail; …)`, or the generic reading. */
export function zendeskErrorText(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return errorText(body);
  }
  if (typeof json !== 'object' || json === null) return errorText(body);
  const o = json as Record<string, unknown>;
  const head: string[] = [];
  const error = o['error'];
  if (typeof error === 'string') head.push(error);
  else if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    for (const part of [e['title'], e['message']]) if (typeof part === 'string' && part !== '') head.push(part);
  }
  if (typeof o['description'] === 'string' && o['description'] !== '') head.push(o['description']);
  const details = detailTexts(o['details']);
  const text = [head.join(': '), details.length > 0 ? details.join('; ') : ''].filter((t) => t !== '').join(' — ');
  if (text === '') return errorText(body);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** `details` is a map of field → list of `{description, error}` (sometimes a single object, or a string). */
function detailTexts(details: unknown): string[] {
  if (typeof details === 'string') return [details];
  if (typeof details !== 'object' || details === null) return [];
  const texts: string[] = [];
  for (const [field, value] of Object.entries(details as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string') texts.push(`${field}: ${item}`);
      else if (typeof item === 'object' && item !== null) {
        const d = item as Record<string, unknown>;
        const said = typeof d['description'] === 'string' ? d['description'] : typeof d['error'] === 'string' ? d['error'] : undefined;
        if (said !== undefined) texts.push(said);
      }
    }
  }
  return texts;
}

/** The {@link CrmError} for a non-2xx Zendesk answer: the shared mapping, with Zendesk's full text when rejected. */
export function zendeskCrmError(response: FailedResponse): CrmError {
  const error = crmErrorFromResponse(response);
  if (error.kind !== 'rejected') return error;
  const text = zendeskErrorText(response.body);
  return CrmError.rejected(text === '' ? `status ${response.status} on ${response.operation}` : text, { status: response.status });
}

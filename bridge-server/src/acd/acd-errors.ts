import { SambungError } from '../errors.js';

/** Field path → messages, the same shape `http/validate.ts` puts in a 400's `fieldErrors`. */
export type FieldErrors = Record<string, string[]>;

/**
 * Errors of the ACD engine (CONVENTIONS #4). Codes are the existing stable ones until dedicated `ACD_*` codes
 * exist: an impossible configuration is `HTTP_BAD_REQUEST` (the REST layer answers 400 with the field errors
 * as they are), an unknown call, agent or queue is `NOT_FOUND`. Illegal agent moves throw the shared
 * `TransitionError` (409).
 */
export class AcdError extends SambungError {
  /** The configuration cannot work; `fieldErrors` names every offending field. */
  static invalid(fieldErrors: FieldErrors): AcdError {
    const summary = Object.entries(fieldErrors)
      .map(([k, v]) => `${k}: ${v.join(', ')}`)
      .join('; ');
    return new AcdError('HTTP_BAD_REQUEST', `invalid ACD configuration: ${summary}`, { detail: { fieldErrors } });
  }

  static unknown(what: 'call' | 'agent' | 'queue' | 'callback', id: string): AcdError {
    return new AcdError('NOT_FOUND', `unknown ${what} ${id}`, { detail: { what, id } });
  }

  /** A command that does not fit the call's or agent's current situation (e.g. answering a call not offered). */
  static conflict(message: string): AcdError {
    return new AcdError('CONFLICT', message);
  }
}

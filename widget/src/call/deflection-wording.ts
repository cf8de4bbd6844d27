/**
 * The sentences a visitor reads on the deflection screen. Pure; the configured message and addresses are shown
 * by the view as text next to these, never merged into them as markup.
 */
import type { DeflectReason, Deflection } from './deflection.js';

/** Why the call could not wait, in the visitor's terms. */
export function describeDeflectReason(reason: DeflectReason | undefined): string {
  switch (reason) {
    case 'closed':
      return "We're closed right now.";
    case 'full':
      return 'All our agents are busy and our line is full.';
    case 'expected-wait':
      return 'All our agents are busy — the wait would be too long right now.';
    case 'max-wait':
      return "Sorry for the long wait — all our agents are still busy.";
    case undefined:
      return "We can't take your call right now.";
  }
}

/** The heading of the alternative offered. */
export function describeDeflectionOffer(deflection: Deflection): string {
  switch (deflection.type) {
    case 'message':
      return 'A message from us';
    case 'email':
      return 'Write to us';
    case 'phone':
      return 'Call us';
    case 'callback':
      return "Pick a time and we'll call you back";
    case 'voicemail':
      // A 480 deflection from a bridge that does not record voicemail yet; one that does answers the call.
      return 'Leaving a voicemail is not available yet.';
  }
}

/** The status line while the visitor records a voicemail: why no one answered, and what happens now. */
export function describeVoicemailStatus(reason: DeflectReason | undefined): string {
  return `${describeDeflectReason(reason)} Please leave us a message.`;
}

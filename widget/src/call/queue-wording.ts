/**
 * What the visitor reads while queued: "You are number 2 in line — about 3 minutes". Pure.
 *
 * Estimates are rounded the way a person would say them: nobody needs "about 13 minutes" when the number comes
 * from a model of handle times and staffing; past ten minutes we say it in fives, past an hour we stop
 * pretending to know.
 */

export interface QueuePlace {
  /** 1-based, absent until the bridge says. */
  readonly position?: number;
  /** Whole seconds, absent when the bridge cannot estimate. */
  readonly estimatedWaitSec?: number;
  /** An agent's softphone is ringing with this call (180 Ringing). */
  readonly agentRinging?: boolean;
}

export function describeQueuePosition(place: QueuePlace): string {
  if (place.agentRinging) return 'Connecting you to an agent…';
  const { position } = place;
  if (position === undefined || !Number.isSafeInteger(position) || position < 1) {
    return 'Waiting for the next available agent';
  }
  return position === 1 ? 'You are next in line' : `You are number ${position} in line`;
}

/** "less than a minute", "about 3 minutes", …; `undefined` when there is nothing sensible to say. */
export function describeWaitEstimate(seconds: number | undefined): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return undefined;
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes === 1) return 'about 1 minute';
  if (minutes < 10) return `about ${minutes} minutes`;
  if (minutes < 58) return `about ${Math.max(10, Math.round(minutes / 5) * 5)} minutes`;
  if (minutes < 90) return 'about an hour';
  return 'more than an hour';
}

/** The whole sentence, for places where one string is needed (the launcher's title, a screen reader). */
export function describeQueue(place: QueuePlace): string {
  const estimate = place.agentRinging ? undefined : describeWaitEstimate(place.estimatedWaitSec);
  const where = describeQueuePosition(place);
  return estimate ? `${where} — ${estimate}` : where;
}

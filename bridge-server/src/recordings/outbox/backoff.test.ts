import { describe, expect, it } from 'vitest';
import { CrmError } from '../../crm/crm-error.js';
import { backoffDelay, seededRandom } from './backoff.js';
import { defaultFailurePolicy, failureOutcome } from './failure-policy.js';
import { ParkJobError } from './outbox-errors.js';

const policy = { baseMs: 1000, factor: 2, capMs: 60_000 };

describe('backoff with full jitter', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, policy, top))).toEqual([
      999, 1999, 3999, 7999, 15999, 31999, 59999, 59999,
    ]);
  });

  it('draws each delay uniformly below the ceiling, reproducibly from a seed', () => {
    const a = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, seededRandom(42)));
    const b = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, seededRandom(42)));
    expect(a).toEqual(b);
    const random = seededRandom(7);
    const delays = Array.from({ length: 2000 }, () => backoffDelay(3, policy, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...delays)).toBeLessThan(4000);
    const mean = delays.reduce((s, d) => s + d, 0) / delays.length;
    expect(mean).toBeGreaterThan(1800);
    expect(mean).toBeLessThan(2200);
  });

  it('never waits less than Retry-After, even past the cap', () => {
    expect(backoffDelay(1, policy, () => 0, 120_000)).toBe(120_000);
    expect(backoffDelay(9, policy, () => 0.5, 5_000)).toBe(30_000);
  });
});

describe('what a failed attempt means', () => {
  const p = { ...defaultFailurePolicy, backoff: policy };
  const half = () => 0.5;

  it('retries retryable and too-large failures with backoff, honouring retryAfterMs', () => {
    expect(failureOutcome(CrmError.retryable('500'), 3, p, half)).toEqual({ to: 'pending', delayMs: 2000, reason: '500' });
    expect(failureOutcome(CrmError.retryable('429', { retryAfterMs: 90_000 }), 1, p, half)).toMatchObject({ to: 'pending', delayMs: 90_000 });
    expect(failureOutcome(CrmError.tooLarge('413'), 1, p, half)).toMatchObject({ to: 'pending', delayMs: 500 });
  });

  it('parks a retryable failure once attempts run out, saying so', () => {
    expect(failureOutcome(CrmError.retryable('500'), 50, p, half)).toEqual({ to: 'parked', reason: 'gave up after 50 attempts: 500' });
  });

  it('waits for credentials on auth, every 5 minutes, however many attempts', () => {
    expect(failureOutcome(CrmError.auth('401'), 500, p, half)).toMatchObject({ to: 'waiting-auth', delayMs: 300_000 });
  });

  it('parks rejected, invalid-response and ParkJobError failures with their reason', () => {
    expect(failureOutcome(CrmError.rejected('Phone is invalid', { status: 422 }), 1, p, half)).toEqual({
      to: 'parked',
      reason: 'CRM rejected the request (422): Phone is invalid',
    });
    expect(failureOutcome(CrmError.invalidResponse('not JSON'), 1, p, half)).toEqual({ to: 'parked', reason: 'not JSON' });
    expect(failureOutcome(ParkJobError.because('file missing'), 1, p, half)).toEqual({ to: 'parked', reason: 'file missing' });
  });

  it('retries other errors a few times, then parks', () => {
    expect(failureOutcome(new Error('EIO'), 1, p, half)).toMatchObject({ to: 'pending', reason: 'handler failed: EIO' });
    expect(failureOutcome(new Error('EIO'), 5, p, half)).toEqual({ to: 'parked', reason: 'handler failed 5 times: EIO' });
  });
});

import { describe, expect, it } from 'vitest';
import { describeQueue, describeQueuePosition, describeWaitEstimate } from './queue-wording.js';

describe('describeWaitEstimate', () => {
  it('says "less than a minute" below sixty seconds, including zero', () => {
    expect(describeWaitEstimate(0)).toBe('less than a minute');
    expect(describeWaitEstimate(59)).toBe('less than a minute');
  });

  it('rounds to whole minutes, singular for one', () => {
    expect(describeWaitEstimate(60)).toBe('about 1 minute');
    expect(describeWaitEstimate(89)).toBe('about 1 minute');
    expect(describeWaitEstimate(90)).toBe('about 2 minutes');
    expect(describeWaitEstimate(170)).toBe('about 3 minutes');
    expect(describeWaitEstimate(9 * 60 + 20)).toBe('about 9 minutes');
  });

  it('speaks in fives from ten minutes, and stops counting past the hour', () => {
    expect(describeWaitEstimate(10 * 60)).toBe('about 10 minutes');
    expect(describeWaitEstimate(12 * 60)).toBe('about 10 minutes');
    expect(describeWaitEstimate(13 * 60)).toBe('about 15 minutes');
    expect(describeWaitEstimate(57 * 60)).toBe('about 55 minutes');
    expect(describeWaitEstimate(58 * 60)).toBe('about an hour');
    expect(describeWaitEstimate(89 * 60)).toBe('about an hour');
    expect(describeWaitEstimate(90 * 60)).toBe('more than an hour');
    expect(describeWaitEstimate(7 * 24 * 3600)).toBe('more than an hour');
  });

  it('has nothing to say about unknown or impossible estimates', () => {
    for (const bad of [undefined, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(describeWaitEstimate(bad)).toBeUndefined();
  });
});

describe('describeQueuePosition', () => {
  it('names the place in line', () => {
    expect(describeQueuePosition({ position: 1 })).toBe('You are next in line');
    expect(describeQueuePosition({ position: 2 })).toBe('You are number 2 in line');
    expect(describeQueuePosition({})).toBe('Waiting for the next available agent');
    expect(describeQueuePosition({ position: 0 })).toBe('Waiting for the next available agent');
  });

  it('says an agent is being connected while one rings, whatever the old position', () => {
    expect(describeQueuePosition({ position: 4, agentRinging: true })).toBe('Connecting you to an agent…');
  });
});

describe('describeQueue', () => {
  it('joins the place and the estimate', () => {
    expect(describeQueue({ position: 2, estimatedWaitSec: 170 })).toBe('You are number 2 in line — about 3 minutes');
    expect(describeQueue({ position: 1, estimatedWaitSec: 20 })).toBe('You are next in line — less than a minute');
    expect(describeQueue({ position: 3 })).toBe('You are number 3 in line');
    expect(describeQueue({ estimatedWaitSec: 300 })).toBe('Waiting for the next available agent — about 5 minutes');
    expect(describeQueue({ position: 3, estimatedWaitSec: 300, agentRinging: true })).toBe('Connecting you to an agent…');
  });
});

import { describe, expect, it } from 'vitest';
import { HostAdapterError } from '../../softphone/src/host-adapter.js';
import { ManualTimers } from './test-support/manual-timers.js';
import { bounded } from './zaf-call.js';

async function failure(promise: Promise<unknown>): Promise<HostAdapterError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HostAdapterError);
  expect((error as HostAdapterError).code).toBe('HOST_ERR_UNAVAILABLE');
  return error as HostAdapterError;
}

describe('bounded', () => {
  it('resolves with the SDK’s answer and clears its timer', async () => {
    const timers = new ManualTimers();
    await expect(bounded(async () => 'ok', 'get', timers)).resolves.toBe('ok');
    expect(timers.pending).toBe(0);
  });

  it('wraps what the SDK rejects with: its TimeoutError object, a jqXHR, an Error, a synchronous throw', async () => {
    const timers = new ManualTimers();
    const sdkTimeout = { name: 'TimeoutError', message: 'Timeout when invoking "get"' };
    expect((await failure(bounded(() => Promise.reject(sdkTimeout), 'get', timers))).message).toContain('TimeoutError');
    const xhr = { status: 503, responseText: 'secret body' };
    const wrapped = await failure(bounded(() => Promise.reject(xhr), 'request', timers));
    expect(wrapped.message).toContain('HTTP 503');
    expect(wrapped.message).not.toContain('secret body');
    expect(wrapped.cause).toBe(xhr);
    await failure(bounded(() => Promise.reject(new Error('"x" Could not find handler')), 'get', timers));
    await failure(bounded(() => {
      throw new Error('The get method accepts a string or array of strings.');
    }, 'get', timers));
    expect(timers.pending).toBe(0);
  });

  it('passes a HostAdapterError through unchanged', async () => {
    const original = HostAdapterError.invalidArgument('bad');
    await expect(bounded(() => Promise.reject(original), 'x', new ManualTimers())).rejects.toBe(original);
  });

  it('rejects after the bound, and ignores a late answer', async () => {
    const timers = new ManualTimers();
    let answer: (value: string) => void = () => undefined;
    const pending = bounded(() => new Promise<string>((resolve) => { answer = resolve; }), 'popover', timers, 1234);
    expect(timers.delays()).toEqual([1234]);
    timers.fireAll();
    const error = await failure(pending);
    expect(error.message).toContain('popover');
    answer('too late');
  });
});

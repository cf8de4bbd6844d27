import { describe, expect, it } from 'vitest';
import { HostAdapterError } from '../../softphone/src/host-adapter.js';
import { clampPanelSize, PANEL_LIMITS, zafResizeArg } from './panel-size.js';

describe('clampPanelSize', () => {
  it('keeps sizes inside Talk’s 250–320 × 405–520 console box, in whole pixels', () => {
    expect(clampPanelSize({ width: 320, height: 520 })).toEqual({ width: 320, height: 520 });
    expect(clampPanelSize({ width: 4000, height: 4000 })).toEqual({ width: PANEL_LIMITS.maxWidth, height: PANEL_LIMITS.maxHeight });
    expect(clampPanelSize({ width: 0.5, height: 1 })).toEqual({ width: PANEL_LIMITS.minWidth, height: PANEL_LIMITS.minHeight });
    expect(clampPanelSize({ width: 280.5, height: 410.4 })).toEqual({ width: 281, height: 410 });
  });

  it('rejects non-finite and non-positive sizes', () => {
    for (const size of [{ width: 0, height: 500 }, { width: 300, height: -1 }, { width: Number.NaN, height: 500 },
      { width: 300, height: Number.POSITIVE_INFINITY }]) {
      expect(() => clampPanelSize(size)).toThrow(HostAdapterError);
    }
  });

  it('writes the resize argument as CSS lengths', () => {
    expect(zafResizeArg({ width: 320, height: 520 })).toEqual({ width: '320px', height: '520px' });
  });
});

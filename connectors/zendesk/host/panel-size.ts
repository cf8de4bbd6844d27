/**
 * The call console's size in Zendesk. Talk Partner Edition's guidelines for telephony apps recommend a call
 * console 250–320 px wide and 405–520 px high (developer.zendesk.com/documentation/voice/talk-partner-edition/
 * guidelines/), so the adapter clamps every request into that box.
 */
import { HostAdapterError } from '../../softphone/src/host-adapter.js';

export const PANEL_LIMITS = { minWidth: 250, maxWidth: 320, minHeight: 405, maxHeight: 520 } as const;

export interface PanelSize {
  readonly width: number;
  readonly height: number;
}

/** Whole pixels inside {@link PANEL_LIMITS}; rejects anything not finite and positive (contract rule). */
export function clampPanelSize(size: PanelSize): PanelSize {
  const { width, height } = size;
  if (!(Number.isFinite(width) && Number.isFinite(height) && width > 0 && height > 0)) {
    throw HostAdapterError.invalidArgument(`resize needs finite positive numbers, got ${width}×${height}`);
  }
  const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.round(value)));
  return {
    width: clamp(width, PANEL_LIMITS.minWidth, PANEL_LIMITS.maxWidth),
    height: clamp(height, PANEL_LIMITS.minHeight, PANEL_LIMITS.maxHeight),
  };
}

/** The `resize` action's argument: CSS lengths, as the Core Apps API documents them (`'320px'`). */
export function zafResizeArg(size: PanelSize): { width: string; height: string } {
  return { width: `${size.width}px`, height: `${size.height}px` };
}

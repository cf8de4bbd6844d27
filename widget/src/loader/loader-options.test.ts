import { describe, expect, it } from 'vitest';
import { bundleUrl, readOptions } from './loader-options.js';

function tag(src: string, attributes: Record<string, string>) {
  return { src, getAttribute: (name: string) => attributes[name] ?? null };
}

describe('readOptions', () => {
  it('reads tenant, queue, mode and label, and derives the bridge base URL from src', () => {
    expect(readOptions(tag('https://bridge.example/widget.js', {
      'data-tenant': 'demo', 'data-queue': 'sales', 'data-mode': 'direct', 'data-label': 'Call sales',
    }))).toEqual({
      tenant: 'demo', queue: 'sales', mode: 'direct', label: 'Call sales', bridgeUrl: 'https://bridge.example/',
    });
  });

  it('defaults to form mode and the label "Call us"', () => {
    const options = readOptions(tag('http://localhost:8080/widget.js?v=3', { 'data-tenant': 'demo', 'data-queue': 's' }));
    expect(options).toMatchObject({ mode: 'form', label: 'Call us', bridgeUrl: 'http://localhost:8080/' });
  });

  it('keeps a path prefix in the bridge URL', () => {
    expect(readOptions(tag('https://cdn.example/sambung/widget.js', { 'data-tenant': 'd', 'data-queue': 'q' }))
      ?.bridgeUrl).toBe('https://cdn.example/sambung/');
  });

  it('treats any unknown mode as form mode (the safer one)', () => {
    expect(readOptions(tag('https://b/widget.js', { 'data-tenant': 'd', 'data-queue': 'q', 'data-mode': 'DIRECT!' }))
      ?.mode).toBe('form');
  });

  it('refuses a tag without tenant or queue', () => {
    expect(readOptions(tag('https://b/widget.js', { 'data-queue': 'q' }))).toBeNull();
    expect(readOptions(tag('https://b/widget.js', { 'data-tenant': 'd', 'data-queue': '  ' }))).toBeNull();
  });
});

describe('bundleUrl', () => {
  it('resolves widget/call.js next to the loader', () => {
    expect(bundleUrl('https://bridge.example/widget.js')).toBe('https://bridge.example/widget/call.js');
    expect(bundleUrl('https://cdn.example/sambung/widget.js?v=1')).toBe('https://cdn.example/sambung/widget/call.js');
  });
});

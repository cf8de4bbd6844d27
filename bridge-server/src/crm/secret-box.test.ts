import { describe, expect, it } from 'vitest';
import { generateRecordingKey } from '../recordings/index.js';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(generateRecordingKey().key);
  const secret = JSON.stringify({ kind: 'api-token', email: 'admin@acme.test', token: 'zd-token-123' });

  it('round-trips a secret without it appearing in the sealed text', () => {
    const sealed = box.seal('tenant-a', secret);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('zd-token-123');
    expect(box.open('tenant-a', sealed)).toBe(secret);
  });

  it('seals the same secret differently every time (random IV)', () => {
    expect(box.seal('tenant-a', secret)).not.toBe(box.seal('tenant-a', secret));
  });

  it('refuses a secret sealed for another tenant', () => {
    expect(box.open('tenant-b', box.seal('tenant-a', secret))).toBeNull();
  });

  it('refuses tampered, truncated, foreign-version and other-key text', () => {
    const sealed = box.seal('tenant-a', secret);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(box.open('tenant-a', `v1.${bytes.toString('base64url')}`)).toBeNull();
    expect(box.open('tenant-a', sealed.slice(0, 20))).toBeNull();
    expect(box.open('tenant-a', `v2.${sealed.slice(3)}`)).toBeNull();
    expect(box.open('tenant-a', 'garbage')).toBeNull();
    expect(new SecretBox(generateRecordingKey().key).open('tenant-a', sealed)).toBeNull();
  });

});

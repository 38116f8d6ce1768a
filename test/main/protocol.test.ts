import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';

// protocol.ts imports electron for its handlers; resolveAppUrl itself is pure
vi.mock('electron', () => ({ net: {}, protocol: {} }));
const { resolveAppUrl } = await import('../../main/protocol');

describe('app:// protocol', () => {
  const dir = '/opt/app/dist/renderer';
  it('maps renderer URLs into the renderer folder', () => {
    expect(resolveAppUrl('app://renderer/index.html', dir)).toBe(join(dir, 'index.html'));
    expect(resolveAppUrl('app://renderer/assets/index-abc.js', dir)).toBe(join(dir, 'assets/index-abc.js'));
    expect(resolveAppUrl('app://renderer/', dir)).toBe(join(dir, 'index.html'));
  });
  it('refuses other hosts, schemes and traversal', () => {
    expect(resolveAppUrl('app://other/index.html', dir)).toBeNull();
    expect(resolveAppUrl('file:///etc/passwd', dir)).toBeNull();
    // dot segments are resolved by URL parsing, so climbing out lands back inside the folder (or nowhere)
    for (const url of [
      'app://renderer/../../../etc/passwd',
      'app://renderer/%2e%2e/%2e%2e/secret',
      'app://renderer/..%2f..%2fsecret',
    ]) {
      const file = resolveAppUrl(url, dir);
      expect(file === null || file.startsWith(dir + '/'), url).toBe(true);
    }
    expect(resolveAppUrl('not a url', dir)).toBeNull();
  });
});

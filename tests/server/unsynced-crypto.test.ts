// The unsynced export is encrypted with the enumerator's passphrase (the CLI side: cli.test.ts [CL4c]).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UNSYNCED_KDF_ITERATIONS, decryptUnsynced, encryptUnsynced } from '../../src/shared/unsynced-crypto.ts';
import { PASS, exportDoc } from './unsynced-fixture.ts';

describe('encrypted unsynced export', () => {
  it('[UX1] round trip with the passphrase; nothing personal in the file; a wrong passphrase or a changed header fails', async () => {
    const doc = exportDoc();
    const sealed = await encryptUnsynced(doc, PASS);
    expect(sealed.kdf.iterations).toBe(UNSYNCED_KDF_ITERATIONS);
    expect(sealed.kdf.iterations).toBeGreaterThanOrEqual(600_000);
    const text = JSON.stringify(sealed);
    const names = (doc.records.registrations[0]?.persons ?? []).map((p) => p.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(text).not.toContain(name);
    expect(text).not.toContain('130102001003001');
    expect(await decryptUnsynced(sealed, PASS)).toEqual({ ok: true, value: JSON.parse(JSON.stringify(doc)) as unknown });
    expect(await decryptUnsynced(sealed, `${PASS} `)).toEqual({ ok: false, reason: 'wrong' });
    expect(await decryptUnsynced({ ...sealed, deviceId: randomUUID() }, PASS)).toEqual({ ok: false, reason: 'wrong' });
    // a fresh salt and IV each time
    const again = await encryptUnsynced(doc, PASS);
    expect(again.kdf.salt).not.toBe(sealed.kdf.salt);
    expect(again.cipher.iv).not.toBe(sealed.cipher.iv);
    await expect(encryptUnsynced(doc, 'short')).rejects.toThrow(/at least 8/);
  });
});

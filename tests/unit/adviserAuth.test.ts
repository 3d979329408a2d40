import { AdviserAccounts } from '../../adapters/adviser/accounts';
import { hashPassword, verifyPassword } from '../../adapters/adviser/passwords';
import { AdviserSessions } from '../../adapters/adviser/sessions';
import { LoginThrottle } from '../../adapters/adviser/loginThrottle';
import { MemoryKeyValue } from '../../adapters/memory/memoryKeyValue';

describe('adviser passwords', () => {
  it('stores scrypt hashes at OWASP strength (N = 2^17), salted, never the password', async () => {
    const one = await hashPassword('correct horse battery');
    const two = await hashPassword('correct horse battery');
    expect(one).toMatch(/^scrypt\$131072\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', one)).toBe(true);
    expect(await verifyPassword('wrong horse battery', one)).toBe(false);
  });

  it('refuses a hash weaker than the floor', async () => {
    expect(await verifyPassword('x', 'scrypt$1024$8$1$c2FsdA$aGFzaA')).toBe(false);
  });

  it('keeps accounts as hashes and refuses short passwords or odd usernames', async () => {
    const store = new MemoryKeyValue(Date.now);
    const accounts = new AdviserAccounts(store);
    await accounts.upsert('sam.adviser', 'a-long-password-1');
    expect(await store.get('adviser:account:sam.adviser')).toMatch(/^scrypt\$/);
    expect(await accounts.verify('sam.adviser', 'a-long-password-1')).toBe(true);
    expect(await accounts.verify('nobody', 'a-long-password-1')).toBe(false);
    await expect(accounts.upsert('sam', 'short')).rejects.toThrow(/12 characters/);
    await expect(accounts.upsert('Sam Smith', 'a-long-password-1')).rejects.toThrow(/username/);
  });
});

describe('adviser sessions', () => {
  it('end after the idle timeout, counted from the last use, on the server', async () => {
    let now = 0;
    const sessions = new AdviserSessions(new MemoryKeyValue(() => now), 30 * 60_000);
    const { id } = await sessions.create('sam');
    now += 29 * 60_000;
    expect(await sessions.get(id)).toMatchObject({ username: 'sam' });
    now += 29 * 60_000;
    expect(await sessions.get(id)).toMatchObject({ username: 'sam' });
    now += 31 * 60_000;
    expect(await sessions.get(id)).toBeUndefined();
  });

  it('keeps only a hash of the session id in the store', async () => {
    const store = new MemoryKeyValue(Date.now);
    const { id } = await new AdviserSessions(store, 60_000).create('sam');
    expect(await store.get(`adviser:session:${id}`)).toBeUndefined();
  });
});

describe('login throttle', () => {
  it('blocks an account after five failures from any mix of addresses, and an address after twenty', async () => {
    const throttle = new LoginThrottle(new MemoryKeyValue(Date.now));
    for (let n = 0; n < 5; n += 1) await throttle.fail('sam', `10.0.0.${n}`);
    expect(await throttle.check('sam', '10.0.0.99')).toEqual({ allowed: false, retryAfterSeconds: 900 });
    expect(await throttle.check('alex', '10.0.0.99')).toEqual({ allowed: true });
    for (let n = 0; n < 20; n += 1) await throttle.fail(`user${n}`, '10.9.9.9');
    expect((await throttle.check('someone-new', '10.9.9.9')).allowed).toBe(false);
  });
});

import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { EtagCarryingStorage, isEtagConflict, runInEtagScope } from '../../bot/etagScope';

describe('EtagCarryingStorage', () => {
  const make = () => new EtagCarryingStorage(createMemoryStores({ retentionDays: 1 }).state);

  it("turns BotState's '*' into the eTag the turn read, so a stale turn is refused", async () => {
    const storage = make();
    await storage.write({ k: { n: 0 } });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = runInEtagScope(async () => {
      const item = (await storage.read(['k'])).k;
      await gate;
      await storage.write({ k: { ...item, n: item.n + 1, eTag: '*' } });
    });
    await runInEtagScope(async () => {
      const item = (await storage.read(['k'])).k;
      await storage.write({ k: { ...item, n: item.n + 1, eTag: '*' } });
    });
    release();
    const error = await slow.catch((caught: unknown) => caught);
    expect(isEtagConflict(error)).toBe(true);
    expect((await storage.read(['k'])).k.n).toBe(1);
  });

  it('refuses a second creator of a key both turns saw absent', async () => {
    const storage = make();
    const turn = () =>
      runInEtagScope(async () => {
        await storage.read(['new']);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await storage.write({ new: { by: Math.random(), eTag: '*' } });
      });
    const results = await Promise.allSettled([turn(), turn()]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('lets one turn save the same key twice', async () => {
    const storage = make();
    await runInEtagScope(async () => {
      await storage.read(['k']);
      await storage.write({ k: { n: 1, eTag: '*' } });
      await storage.write({ k: { n: 2, eTag: '*' } });
    });
    expect((await storage.read(['k'])).k.n).toBe(2);
  });

  it("outside a turn it keeps the plain '*' overwrite", async () => {
    const storage = make();
    await storage.write({ k: { n: 1 } });
    await storage.write({ k: { n: 2, eTag: '*' } });
    expect((await storage.read(['k'])).k.n).toBe(2);
  });
});

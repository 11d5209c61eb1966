/** Creating a database: schema, reference data, the first audit entry, all or nothing. */
import { createDatabase } from '../store/db.js';
import { audit, type Actor } from './actor.js';
import { seedEzhou } from './orgs.js';

export async function initDatabase(path: string, who: Actor, seed: 'ezhou' | 'none'): Promise<{ regions: number; orgs: number }> {
  let counts = { regions: 0, orgs: 0 };
  await createDatabase(path, async (store) => {
    await store.write(async (tx) => {
      await audit(tx, who, [{ entity: 'database', entityId: null, after: { seed } }]);
      if (seed === 'ezhou') counts = await seedEzhou(tx, who);
    });
  });
  return counts;
}

/**
 * A fresh database's schema, and the description made of both engines' (npm run schema: scripts/schema.mjs).
 * Not part of the CLI: the script and the tests load it.
 */
import { createDatabase, openStore } from './db.js';
import { SQLITE_PLAN } from './migrations/index.js';
import { SERVER_PLAN } from './pg/migrations/index.js';
import { describeSchema, shapeOf, type EngineShape, type SchemaDescription } from './schema-shape.js';

export { descriptionJson, schemaMarkdown } from './schema-doc.js';

/** Creates a database at `target` (a new file, or a server database without the xypz schema) and reads its shape. */
export async function freshShape(target: string): Promise<EngineShape> {
  await createDatabase(target, async () => undefined);
  const store = await openStore(target);
  try {
    return await shapeOf(store);
  } finally {
    await store.close();
  }
}

/** The description of the schema that this program's migrations make on both engines. */
export async function describeFresh(file: string, serverUrl: string): Promise<SchemaDescription> {
  const lite = await freshShape(file);
  const server = await freshShape(serverUrl);
  return describeSchema(lite, server, { sqlite: SQLITE_PLAN.version, server: SERVER_PLAN.version });
}

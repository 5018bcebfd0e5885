// Prints what a migration becomes on PostgreSQL (prisma/sqlite-to-postgres.ts), for review:
//   npx tsx scripts/postgres-migration.ts                 every migration
//   npx tsx scripts/postgres-migration.ts calls_audit     those whose folder name contains this
import { readMigrations } from "../prisma/migrate.ts";
import { sqliteToPostgres } from "../prisma/sqlite-to-postgres.ts";

const only = process.argv[2];
for (const m of readMigrations().filter((x) => !only || x.name.includes(only))) {
  console.log(`-- ${m.name}\n${sqliteToPostgres(m.sql)}`);
}

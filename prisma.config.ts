// Prisma CLI config (used by `prisma generate`). Migrations are applied at start-up by
// prisma/migrate.ts, without Prisma's native schema engine: see docs/decisions/0001-migrations-without-the-native-engine.md.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});

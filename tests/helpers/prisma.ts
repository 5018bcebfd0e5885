// The Prisma client over a test database file. The platform itself no longer uses it at run
// time (docs/decisions/0005); tests use it to prove that what the SQL port writes is what
// schema.prisma describes, and the other way round.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../generated/prisma/client.ts";

export async function openPrisma(file: string): Promise<PrismaClient> {
  // Dates as integer milliseconds: the representation the SQL port reads and writes.
  const adapter = new PrismaBetterSqlite3({ url: file, timeout: 5000 }, { timestampFormat: "unixepoch-ms" });
  const prisma = new PrismaClient({ adapter });
  await prisma.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  return prisma;
}

// Platform settings and keys the platform generates for itself (e.g. Web Push's VAPID key pair),
// kept in the database so every instance and every restart sees the same values.
import type { Queryable, Tx } from "../db/sql.ts";

export async function readSetting<T>(q: Queryable, key: string): Promise<T | null> {
  const row = await q.get<{ value: string }>(`SELECT value FROM "Setting" WHERE key = ?`, [key]);
  return row ? (JSON.parse(row.value) as T) : null;
}

export async function writeSetting(tx: Tx, key: string, value: unknown, at: number): Promise<void> {
  await tx.run(
    `INSERT INTO "Setting" (key, value, "updatedAt") VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, "updatedAt" = excluded."updatedAt"`,
    [key, JSON.stringify(value), at],
  );
}

/** The stored value, or `make()`'s, stored first — the first caller wins, later ones read it. */
export async function settingOrCreate<T>(
  db: { write<R>(fn: (tx: Tx) => Promise<R>): Promise<R> },
  key: string,
  make: () => T,
  at: number,
): Promise<T> {
  return db.write(async (tx) => {
    const existing = await readSetting<T>(tx, key);
    if (existing !== null) return existing;
    const value = make();
    await tx.run(
      `INSERT INTO "Setting" (key, value, "updatedAt") VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      [key, JSON.stringify(value), at],
    );
    return (await readSetting<T>(tx, key))!;
  });
}

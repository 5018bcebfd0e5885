// Seeds an empty database with the demo city (prisma/city.ts), in one write transaction through
// the SQL port. Runs once: a database that already has communities is left untouched. The default
// city (2,000 residents) takes about half a second, most of it scrypt.
import { hashDeviceSecret } from "../broker/device-secret.ts";
import { hashPassword } from "../dispatcher/auth/password.ts";
import type { Queryable, SqlDatabase, Tx } from "../dispatcher/db/sql.ts";
import { DEFAULT_RANDOM_SEED, generateCity, type CityData } from "./city.ts";

export interface SeedOptions {
  /** Password of every demo login. */
  password: string;
  /** Secret provisioned on every demo device (stored hashed). */
  deviceSecret: string;
  residents?: number;
  caregivers?: number;
  volunteers?: number;
  /** Fixed by default so the demo city is the same on every machine. */
  randomSeed?: number;
  now?: number;
}

export interface SeedCounts {
  communities: number;
  grids: number;
  residents: number;
  devices: number;
  responders: number;
  users: number;
}

export interface SeedResult {
  seeded: boolean;
  counts: SeedCounts;
}

/** The logins printed at start-up (all share the demo password). */
export const DEMO_LOGINS: { username: string; role: string; note: string }[] = [
  { username: "admin", role: "admin", note: "platform administrator: users, devices, settings" },
  { username: "dispatcher", role: "dispatcher", note: "24 h duty desk: live map, assign, follow-up calls" },
  { username: "manager", role: "manager", note: "community manager: KPIs, device health, volunteer hours" },
  { username: "caregiver001", role: "responder", note: "community caregiver, phone app (caregiver002…)" },
  { username: "volunteer001", role: "responder", note: "volunteer, phone app (volunteer002…)" },
];

export async function seedDemoCity(db: SqlDatabase, opts: SeedOptions): Promise<SeedResult> {
  if (await hasCity(db)) return { seeded: false, counts: await countRows(db) };
  const now = opts.now ?? Date.now();
  const city = generateCity({
    residents: opts.residents ?? 2000,
    caregivers: opts.caregivers ?? 100,
    volunteers: opts.volunteers ?? 500,
    randomSeed: opts.randomSeed ?? DEFAULT_RANDOM_SEED,
    now,
  });
  // Staff logins get their own salted hash. The responder demo logins all share ONE hash of the
  // demo password: scrypt with a salt per user would cost ~30 ms × 600+ accounts at first start.
  // Sharing a salt is only acceptable because these are public demo credentials; real accounts
  // are always created one by one with hashPassword().
  const [admin, dispatcher, manager, responder] = await Promise.all(
    [0, 1, 2, 3].map(() => hashPassword(opts.password)),
  );
  const hashes: Record<string, string> = {
    admin: admin!,
    dispatcher: dispatcher!,
    manager: manager!,
    responder: responder!,
  };
  const seeded = await db.write(async (tx) => {
    if (await hasCity(tx)) return false; // another process won the race
    await writeCity(tx, city, {
      passwordHash: (role) => hashes[role]!,
      deviceSecret: opts.deviceSecret,
      now,
    });
    return true;
  });
  return { seeded, counts: await countRows(db) };
}

async function hasCity(q: Queryable): Promise<boolean> {
  return (await q.get(`SELECT 1 AS yes FROM "Community" LIMIT 1`)) !== undefined;
}

export async function countRows(q: Queryable): Promise<SeedCounts> {
  const count = async (table: string) =>
    Number((await q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`))?.n ?? 0);
  return {
    communities: await count("Community"),
    grids: await count("Grid"),
    residents: await count("Resident"),
    devices: await count("Device"),
    responders: await count("Responder"),
    users: await count("User"),
  };
}

/** Inserts the city in dependency order, mapping each row's index to the id the database gave it. */
async function writeCity(
  tx: Tx,
  city: CityData,
  secrets: { passwordHash: (role: string) => string; deviceSecret: string; now: number },
): Promise<void> {
  const insert = async (sql: string, values: (string | number | null)[]) =>
    (await tx.get<{ id: number }>(`${sql} RETURNING id`, values))!.id;
  const ids = async <T>(rows: T[], f: (row: T) => Promise<number>) => {
    const out: number[] = [];
    for (const row of rows) out.push(await f(row));
    return out;
  };
  const at = (list: number[], index: number) => list[index]!;
  const ref = (list: number[], index: number | null) => (index === null ? null : at(list, index));

  const communities = await ids(city.communities, (c) =>
    insert(`INSERT INTO "Community" (name, district, lat, lng) VALUES (?, ?, ?, ?)`, [
      c.name,
      c.district,
      c.lat,
      c.lng,
    ]),
  );
  const responders = await ids(city.responders, (r) =>
    insert(
      `INSERT INTO "Responder" (name, phone, role, "communityId", skills, transport, "onDuty", lat, lng,
         "locationAt", "volunteerHours", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.name,
        r.phone,
        r.role,
        at(communities, r.community),
        JSON.stringify(r.skills),
        r.transport,
        r.onDuty ? 1 : 0,
        r.lat,
        r.lng,
        r.locationAt,
        r.volunteerHours,
        r.createdAt,
      ],
    ),
  );
  const grids = await ids(city.grids, (g) =>
    insert(
      `INSERT INTO "Grid" ("communityId", name, households, "gridWorkerId", outline) VALUES (?, ?, ?, ?, ?)`,
      [
        at(communities, g.community),
        g.name,
        g.households,
        at(responders, g.gridWorker),
        g.outline === null ? null : JSON.stringify(g.outline),
      ],
    ),
  );
  const residents = await ids(city.residents, (r) =>
    insert(
      `INSERT INTO "Resident" (name, gender, "birthYear", "birthDate", phone, address, lat, lng, "communityId", "gridId",
         "livingSituation", conditions, medicines, "emergencyContacts", "keyHolder", "pairedVolunteerId", "createdAt")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.name,
        r.gender,
        r.birthYear,
        r.birthDate,
        r.phone,
        r.address,
        r.lat,
        r.lng,
        at(communities, r.community),
        at(grids, r.grid),
        r.livingSituation,
        JSON.stringify(r.conditions),
        JSON.stringify(r.medicines),
        JSON.stringify(r.emergencyContacts),
        r.keyHolder,
        ref(responders, r.pairedVolunteer),
        r.createdAt,
      ],
    ),
  );
  for (const d of city.devices) {
    await tx.run(
      `INSERT INTO "Device" (id, "residentId", kind, "secretHash", "heartbeatSeconds", "missedBeatsOffline", online,
         battery, "createdAt") VALUES (?, ?, ?, ?, 300, 3, 0, ?, ?)`,
      [
        d.id,
        at(residents, d.resident),
        d.kind,
        hashDeviceSecret(secrets.deviceSecret),
        d.battery,
        d.createdAt,
      ],
    );
  }
  for (const u of city.users) {
    await tx.run(
      `INSERT INTO "User" (username, "displayName", "passwordHash", role, "responderId", "createdAt")
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`,
      [
        u.username,
        u.displayName,
        secrets.passwordHash(u.role),
        u.role,
        ref(responders, u.responder),
        secrets.now,
      ],
    );
  }
}

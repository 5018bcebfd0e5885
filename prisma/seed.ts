// Seeds an empty database with a demo city (Baoji): communities, grids with their grid workers,
// elderly residents with one call device each, caregivers, volunteers, doctors and their logins.
// Deterministic: the same randomSeed gives the same city. Runs once: a database that already has
// communities is left untouched. Everything is inserted in one transaction with raw prepared
// statements: the default city (2,000 residents) takes about half a second, most of it scrypt.
import type { Statement } from "better-sqlite3";
import type { Database } from "../dispatcher/db/database.ts";
import { hashDeviceSecret } from "../broker/device-secret.ts";
import { hashPassword } from "../dispatcher/auth/password.ts";
import { SKILLS } from "../protocol/domain.ts";
import type { Contact, LivingSituation, ResponderRole, Skill, TransportMode } from "../protocol/domain.ts";
import {
  CHILD_RELATIONS,
  COMMUNITIES,
  CONDITIONS,
  DISABLING_CONDITIONS,
  ELDER_GIVEN_FEMALE,
  ELDER_GIVEN_MALE,
  PHONE_PREFIXES,
  SURNAMES,
  YOUNGER_GIVEN_FEMALE,
  YOUNGER_GIVEN_MALE,
  type DemoCommunity,
} from "./demo-data.ts";
import { mulberry32 } from "./random.ts";

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

export const DEFAULT_RANDOM_SEED = 0x0917_0110; // Baoji's area code and "110"

/** The logins printed at start-up (all share the demo password). */
export const DEMO_LOGINS: { username: string; role: string; note: string }[] = [
  { username: "admin", role: "admin", note: "platform administrator: users, devices, settings" },
  { username: "dispatcher", role: "dispatcher", note: "24 h duty desk: live map, assign, follow-up calls" },
  { username: "manager", role: "manager", note: "community manager: KPIs, device health, volunteer hours" },
  { username: "caregiver001", role: "responder", note: "community caregiver, phone app (caregiver002…)" },
  { username: "volunteer001", role: "responder", note: "volunteer, phone app (volunteer002…)" },
];

/** Small deterministic PRNG (mulberry32) with the helpers the seed needs. */
class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let r = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return this.pick(entries)[0];
  }
  /** A key of shares, drawn with probability proportional to its share. */
  share<K extends string>(shares: Readonly<Partial<Record<K, number>>>): K {
    return this.weighted(Object.entries(shares) as [K, number][]);
  }
  digits(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

type Gender = "male" | "female";
interface Seeded {
  id: number;
  name: string;
}
interface SeededResponder extends Seeded {
  role: ResponderRole;
}
interface SeededGrid extends Seeded {
  households: number;
  worker: Seeded;
}
interface SeededCommunity extends Seeded {
  demo: DemoCommunity;
  grids: SeededGrid[];
  volunteers: SeededResponder[];
}

const METERS_PER_DEGREE = 111_320;
const DAY_MS = 86_400_000;
const WEIGHTS = COMMUNITIES.map((c) => c.weight);

export async function seedDemoCity(db: Database, opts: SeedOptions): Promise<SeedResult> {
  if (hasCity(db)) return { seeded: false, counts: countRows(db) };
  const residents = opts.residents ?? 2000;
  const caregivers = opts.caregivers ?? 100;
  const volunteers = opts.volunteers ?? 500;
  for (const [name, n] of Object.entries({ residents, caregivers, volunteers })) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`seed: ${name} must be a non-negative integer`);
  }
  // Staff logins get their own salted hash. The responder demo logins all share ONE hash of the
  // demo password: scrypt with a salt per user would cost ~30 ms × 600+ accounts at first start.
  // Sharing a salt is only acceptable because these are public demo credentials; real accounts
  // are always created one by one with hashPassword().
  const [admin, dispatcher, manager, responder] = await Promise.all(
    [0, 1, 2, 3].map(() => hashPassword(opts.password)),
  );
  const hashes = { admin: admin!, dispatcher: dispatcher!, manager: manager!, responder: responder! };
  const rng = new Rng(opts.randomSeed ?? DEFAULT_RANDOM_SEED);
  const now = Date.now();
  const seeded = db
    .transaction(() => {
      if (hasCity(db)) return false; // another process won the race
      const city = new CityWriter(db, rng, now);
      const communities = city.communities();
      const residentCommunities = rng.shuffle(
        allocate(residents, WEIGHTS).flatMap((n, i) => Array<number>(n).fill(i)),
      );
      const caregiverList = city.responders("caregiver", caregivers, communities);
      const volunteerList = city.responders("volunteer", volunteers, communities);
      city.grids(communities, residentCommunities);
      const doctorList = city.responders("doctor", communities.length, communities);
      city.residents(communities, residentCommunities, opts.deviceSecret);
      const gridWorkers = communities.flatMap((c) => c.grids.map((g) => g.worker));
      city.users(hashes, [
        ["caregiver", 3, caregiverList],
        ["volunteer", 3, volunteerList],
        ["grid", 3, gridWorkers],
        ["doctor", 2, doctorList],
      ]);
      return true;
    })
    .immediate();
  return { seeded, counts: countRows(db) };
}

function hasCity(db: Database): boolean {
  return db.prepare(`SELECT 1 FROM "Community" LIMIT 1`).get() !== undefined;
}

export function countRows(db: Database): SeedCounts {
  const count = (table: string): number =>
    (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  return {
    communities: count("Community"),
    grids: count("Grid"),
    residents: count("Resident"),
    devices: count("Device"),
    responders: count("Responder"),
    users: count("User"),
  };
}

/** Splits total into integer parts proportional to weights (largest remainder). */
function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  const remainder = total - parts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < remainder; k++) {
    const i = order[k % order.length]![1];
    parts[i]! += 1;
  }
  return parts;
}

/** Inserts the city; every random draw goes through one Rng so the result is reproducible. */
class CityWriter {
  private readonly insertResponder: Statement;
  constructor(
    private readonly db: Database,
    private readonly rng: Rng,
    private readonly now: number,
  ) {
    this.insertResponder = db.prepare(
      `INSERT INTO "Responder" (name, phone, role, communityId, skills, transport, onDuty, lat, lng,
         locationAt, volunteerHours, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  communities(): SeededCommunity[] {
    const insert = this.db.prepare(`INSERT INTO "Community" (name, district, lat, lng) VALUES (?, ?, ?, ?)`);
    return COMMUNITIES.map((demo) => ({
      id: Number(insert.run(demo.name, demo.district, demo.lat, demo.lng).lastInsertRowid),
      name: demo.name,
      demo,
      grids: [],
      volunteers: [],
    }));
  }

  responders(role: ResponderRole, total: number, communities: SeededCommunity[]): SeededResponder[] {
    const perCommunity = role === "doctor" ? communities.map(() => 1) : allocate(total, WEIGHTS);
    const out: SeededResponder[] = [];
    communities.forEach((community, i) => {
      for (let k = 0; k < (perCommunity[i] ?? 0); k++) out.push(this.responder(role, community));
    });
    return out;
  }

  private responder(role: ResponderRole, community: SeededCommunity): SeededResponder {
    const rng = this.rng;
    const femaleShare = { caregiver: 0.8, volunteer: 0.55, grid_worker: 0.6, doctor: 0.5 }[role];
    const gender: Gender = rng.chance(femaleShare) ? "female" : "male";
    // Many volunteers are younger retirees helping the very old (低龄帮高龄).
    const elder = role === "volunteer" && rng.chance(0.4);
    const name = this.personName(gender, elder ? "elder" : "younger");
    const { skills, transport } = responderProfile(rng, role);
    const dutyShare = { caregiver: 0.3, volunteer: 0.15, grid_worker: 0, doctor: 0 }[role];
    const onDuty = rng.chance(dutyShare);
    const at = onDuty ? scatter(rng, community.demo, 800) : null;
    const hours = role === "volunteer" ? Math.round(rng.next() ** 2 * 3000) / 10 : 0;
    const id = Number(
      this.insertResponder.run(
        name,
        this.mobile(),
        role,
        community.id,
        JSON.stringify(skills),
        transport,
        onDuty ? 1 : 0,
        at?.lat ?? null,
        at?.lng ?? null,
        at ? this.now : null,
        hours,
        this.now - rng.int(30, 900) * DAY_MS,
      ).lastInsertRowid,
    );
    const seeded = { id, name, role };
    if (role === "volunteer") community.volunteers.push(seeded);
    return seeded;
  }

  /** Grids of 300–500 households; enough of them that each holds at most ~120 enrolled elderly. */
  grids(communities: SeededCommunity[], residentCommunities: number[]): void {
    const insert = this.db.prepare(
      `INSERT INTO "Grid" (communityId, name, households, gridWorkerId) VALUES (?, ?, ?, ?)`,
    );
    communities.forEach((community, i) => {
      const enrolled = residentCommunities.filter((c) => c === i).length;
      const count = Math.max(2, Math.ceil(enrolled / 120));
      for (let k = 1; k <= count; k++) {
        const worker = this.responder("grid_worker", community);
        const households = this.rng.int(300, 500);
        const name = `第${k}网格`;
        const id = Number(insert.run(community.id, name, households, worker.id).lastInsertRowid);
        community.grids.push({ id, name, households, worker });
      }
    });
  }

  residents(communities: SeededCommunity[], residentCommunities: number[], deviceSecret: string): void {
    const rng = this.rng;
    const insertResident = this.db.prepare(
      `INSERT INTO "Resident" (name, gender, birthYear, phone, address, lat, lng, communityId, gridId,
         livingSituation, conditions, medicines, emergencyContacts, keyHolder, pairedVolunteerId, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertDevice = this.db.prepare(
      `INSERT INTO "Device" (id, residentId, kind, secretHash, heartbeatSeconds, missedBeatsOffline, online,
         battery, createdAt) VALUES (?, ?, ?, ?, 300, 3, 0, ?, ?)`,
    );
    residentCommunities.forEach((ci, index) => {
      const community = communities[ci]!;
      const grid = rng.weighted(community.grids.map((g) => [g, g.households] as const));
      const gender: Gender = rng.chance(0.58) ? "female" : "male";
      const surname = rng.pick(SURNAMES);
      const name = this.personName(gender, "elder", surname);
      // A few centenarians (born 1925–1926), like the 101-year-old with the octagonal button.
      const [oldest, youngest] = rng.weighted([
        [[1925, 1926], 0.006],
        [[1927, 1937], 0.114],
        [[1938, 1958], 0.88],
      ] as const);
      const birthYear = rng.int(oldest, youngest);
      const phone = rng.chance(0.25) ? `0917-${rng.pick(["3", "2", "8"])}${rng.digits(6)}` : this.mobile();
      const [building, unit, floor, door] = [rng.int(1, 36), rng.int(1, 4), rng.int(1, 7), rng.int(1, 2)];
      const address = `${community.demo.district}${community.name} ${building}号楼 ${unit}单元 ${floor}0${door}`;
      const at = scatter(rng, community.demo, 600);
      const living = rng.share<LivingSituation>({
        alone: 0.42,
        empty_nest: 0.36,
        disabled: 0.14,
        with_family: 0.08,
      });
      const conditions = pickConditions(rng, living);
      const medicines = pickMedicines(rng, conditions);
      const contacts = this.contacts(gender, surname);
      const keyHolder = this.keyHolder(living, contacts, grid, building, unit, floor);
      const paired =
        community.volunteers.length > 0 && rng.chance(1 / 3) ? rng.pick(community.volunteers) : null;
      const residentId = Number(
        insertResident.run(
          name,
          gender,
          birthYear,
          phone,
          address,
          at.lat,
          at.lng,
          community.id,
          grid.id,
          living,
          JSON.stringify(conditions),
          JSON.stringify(medicines),
          JSON.stringify(contacts),
          keyHolder,
          paired?.id ?? null,
          this.now - rng.int(1, 1000) * DAY_MS,
        ).lastInsertRowid,
      );
      // Bedridden residents get a wall button by the bed or a pendant rather than a wristband.
      const kind = rng.share(
        living === "disabled"
          ? { wall_button: 0.6, pendant: 0.4 }
          : { wall_button: 0.45, wrist_button: 0.35, pendant: 0.2 },
      );
      const deviceId = `BJ-${String(index + 1).padStart(5, "0")}`;
      const secretHash = hashDeviceSecret(deviceSecret);
      insertDevice.run(deviceId, residentId, kind, secretHash, rng.int(40, 100), this.now);
    });
  }

  users(
    hashes: { admin: string; dispatcher: string; manager: string; responder: string },
    groups: [prefix: string, width: number, members: Seeded[]][],
  ): void {
    const insert = this.db.prepare(
      `INSERT INTO "User" (username, displayName, passwordHash, role, responderId, createdAt)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`,
    );
    insert.run("admin", "系统管理员", hashes.admin, "admin", null, this.now);
    insert.run("dispatcher", "平台值班员 李娜", hashes.dispatcher, "dispatcher", null, this.now);
    insert.run("manager", "养老服务中心 王主任", hashes.manager, "manager", null, this.now);
    for (const [prefix, width, members] of groups) {
      const digits = Math.max(width, String(members.length).length);
      members.forEach((m, i) => {
        const username = `${prefix}${String(i + 1).padStart(digits, "0")}`;
        insert.run(username, m.name, hashes.responder, "responder", m.id, this.now);
      });
    }
  }

  private personName(
    gender: Gender,
    generation: "elder" | "younger",
    surname = this.rng.pick(SURNAMES),
  ): string {
    const given =
      generation === "elder"
        ? gender === "female"
          ? ELDER_GIVEN_FEMALE
          : ELDER_GIVEN_MALE
        : gender === "female"
          ? YOUNGER_GIVEN_FEMALE
          : YOUNGER_GIVEN_MALE;
    return surname + this.rng.pick(given);
  }

  private mobile(): string {
    return this.rng.pick(PHONE_PREFIXES) + this.rng.digits(8);
  }

  /** 1–2 children (or their spouses); children carry the father's surname. */
  private contacts(gender: Gender, surname: string): Contact[] {
    const rng = this.rng;
    const familyName = gender === "male" ? surname : rng.pick(SURNAMES);
    return Array.from({ length: rng.chance(0.6) ? 2 : 1 }, (_, i) => {
      const childGender: Gender = rng.chance(0.5) ? "female" : "male";
      const relation =
        i === 0 ? (childGender === "male" ? "儿子" : "女儿") : rng.pick(CHILD_RELATIONS[childGender]);
      const inLaw = relation === "儿媳" || relation === "女婿";
      const name = this.personName(childGender, "younger", inLaw ? rng.pick(SURNAMES) : familyName);
      return { name, relation, phone: this.mobile() };
    });
  }

  private keyHolder(
    living: LivingSituation,
    contacts: Contact[],
    grid: SeededGrid,
    building: number,
    unit: number,
    floor: number,
  ): string {
    const rng = this.rng;
    const who = rng.share({
      neighbour: living === "disabled" ? 0.25 : 0.4,
      community: living === "disabled" ? 0.5 : 0.25,
      relative: living === "with_family" ? 0.8 : 0.35,
    });
    if (who === "community") return `社区服务站（网格员 ${grid.worker.name}）`;
    const relative = contacts[0];
    if (who === "relative" && relative) return `${relative.relation} ${relative.name} ${relative.phone}`;
    const neighbourFloor = Math.max(1, floor + rng.int(-1, 1));
    const neighbour = this.personName(rng.chance(0.6) ? "female" : "male", "elder");
    return `邻居 ${neighbour}（${building}号楼${unit}单元${neighbourFloor}0${rng.int(1, 2)}）`;
  }
}

function responderProfile(rng: Rng, role: ResponderRole): { skills: Skill[]; transport: TransportMode } {
  const skills = new Set<Skill>();
  let transport: TransportMode;
  switch (role) {
    case "caregiver":
      skills.add("first_aid");
      if (rng.chance(0.85)) skills.add("lifting");
      if (rng.chance(0.15)) skills.add("medical");
      if (rng.chance(0.7)) skills.add("companionship");
      if (rng.chance(0.5)) skills.add("bathing");
      transport = rng.share<TransportMode>({ ebike: 0.6, walk: 0.25, car: 0.15 });
      break;
    case "volunteer": {
      const offered: Skill[] = ["meal", "housekeeping", "haircut", "massage", "companionship", "bathing"];
      const count = rng.int(2, 3);
      while (skills.size < count) skills.add(rng.pick(offered));
      if (rng.chance(0.08)) skills.add("first_aid");
      transport = rng.share<TransportMode>({ walk: 0.45, bike: 0.2, ebike: 0.35 });
      break;
    }
    case "grid_worker":
      skills.add("companionship");
      if (rng.chance(0.5)) skills.add("first_aid");
      transport = rng.share<TransportMode>({ ebike: 0.6, walk: 0.4 });
      break;
    case "doctor":
      skills.add("medical").add("first_aid");
      transport = "car";
      break;
  }
  return { skills: SKILLS.filter((s) => skills.has(s)), transport };
}

function pickConditions(rng: Rng, living: LivingSituation): string[] {
  const found = new Set(CONDITIONS.filter((c) => rng.chance(c.prevalence)).map((c) => c.name));
  if (living === "disabled" && !DISABLING_CONDITIONS.some((c) => found.has(c))) {
    found.add(rng.pick(DISABLING_CONDITIONS));
  }
  if (found.size === 0 && rng.chance(0.8)) found.add(rng.pick(CONDITIONS.slice(0, 3)).name);
  return CONDITIONS.map((c) => c.name).filter((n) => found.has(n));
}

function pickMedicines(rng: Rng, conditions: string[]): string[] {
  const medicines = new Set<string>();
  for (const condition of CONDITIONS.filter((c) => conditions.includes(c.name))) {
    for (const medicine of rng.pick(condition.regimens)) medicines.add(medicine);
  }
  return [...medicines];
}

/** A point uniformly distributed within radiusM metres of centre. */
function scatter(
  rng: Rng,
  centre: { lat: number; lng: number },
  radiusM: number,
): { lat: number; lng: number } {
  const r = radiusM * Math.sqrt(rng.next());
  const a = 2 * Math.PI * rng.next();
  const lat = centre.lat + (r * Math.cos(a)) / METERS_PER_DEGREE;
  const lng = centre.lng + (r * Math.sin(a)) / (METERS_PER_DEGREE * Math.cos((centre.lat * Math.PI) / 180));
  return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
}

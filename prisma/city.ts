// The demo city (Baoji) as plain data: communities, grids with their grid workers, elderly
// residents with one call device each, caregivers, volunteers, doctors and their logins.
// Pure and deterministic: the same options give the same city. prisma/seed.ts writes it.
// Rows refer to each other by their index in this data, not by database id.
import concaveman from "concaveman";
import { scatter as scatterPoint } from "../protocol/geo.ts";
import { SKILLS } from "../protocol/domain.ts";
import type {
  Contact,
  DeviceKind,
  Gender,
  LivingSituation,
  ResponderRole,
  Skill,
  TransportMode,
  UserRole,
} from "../protocol/domain.ts";
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
} from "./demo-data.ts";
import { Rng, allocate } from "./random.ts";

export interface CityOptions {
  residents: number;
  caregivers: number;
  volunteers: number;
  randomSeed: number;
  /** "Now" of the city: creation dates and on-duty positions are relative to it. */
  now: number;
}

export interface CityData {
  communities: { name: string; district: string; lat: number; lng: number }[];
  responders: {
    name: string;
    phone: string;
    role: ResponderRole;
    community: number;
    skills: Skill[];
    transport: TransportMode;
    onDuty: boolean;
    lat: number | null;
    lng: number | null;
    locationAt: number | null;
    volunteerHours: number;
    createdAt: number;
  }[];
  /** `outline`: the hull of the grid's residents as [lat, lng] corners (null below three homes). */
  grids: {
    community: number;
    name: string;
    households: number;
    gridWorker: number;
    outline: [number, number][] | null;
  }[];
  residents: {
    name: string;
    gender: Gender;
    birthYear: number;
    /** YYYY-MM-DD within birthYear. */
    birthDate: string;
    phone: string;
    address: string;
    lat: number;
    lng: number;
    community: number;
    grid: number;
    livingSituation: LivingSituation;
    conditions: string[];
    medicines: string[];
    emergencyContacts: Contact[];
    keyHolder: string;
    pairedVolunteer: number | null;
    createdAt: number;
  }[];
  devices: { id: string; resident: number; kind: DeviceKind; battery: number; createdAt: number }[];
  /** Staff logins have no responder; every responder has a login. */
  users: { username: string; displayName: string; role: UserRole; responder: number | null }[];
}

export const DEFAULT_RANDOM_SEED = 0x0917_0110; // Baoji's area code and "110"

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const WEIGHTS = COMMUNITIES.map((c) => c.weight);

export function generateCity(options: CityOptions): CityData {
  for (const key of ["residents", "caregivers", "volunteers"] as const) {
    const n = options[key];
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`city: ${key} must be a non-negative integer`);
  }
  return new CityBuilder(new Rng(options.randomSeed), options.now).build(options);
}

/** Builds the city; every random draw goes through one Rng, in a fixed order. */
class CityBuilder {
  private readonly city: CityData = {
    communities: [],
    responders: [],
    grids: [],
    residents: [],
    devices: [],
    users: [],
  };
  /** Volunteers of each community, for pairing (结对帮扶). */
  private readonly volunteersOf = COMMUNITIES.map((): number[] => []);
  private readonly gridsOf = COMMUNITIES.map((): number[] => []);

  constructor(
    private readonly rng: Rng,
    private readonly now: number,
  ) {}

  build(o: CityOptions): CityData {
    this.city.communities = COMMUNITIES.map(({ name, district, lat, lng }) => ({ name, district, lat, lng }));
    const residentCommunities = this.rng.shuffle(
      allocate(o.residents, WEIGHTS).flatMap((n, i) => Array<number>(n).fill(i)),
    );
    const caregivers = this.responders("caregiver", allocate(o.caregivers, WEIGHTS));
    const volunteers = this.responders("volunteer", allocate(o.volunteers, WEIGHTS));
    this.grids(residentCommunities);
    const doctors = this.responders(
      "doctor",
      COMMUNITIES.map(() => 1),
    );
    residentCommunities.forEach((community, index) => this.resident(community, index));
    this.outlines();
    const gridWorkers = this.gridsOf.flatMap((grids) => grids.map((g) => this.city.grids[g]!.gridWorker));
    this.users([
      ["caregiver", 3, caregivers],
      ["volunteer", 3, volunteers],
      ["grid", 3, gridWorkers],
      ["doctor", 2, doctors],
    ]);
    return this.city;
  }

  /**
   * Numbered round the communities (caregiver001 in the first, caregiver002 in the second…), so
   * the first few logins of a role — the phones `npm run sim` drives — cover the whole city.
   */
  private responders(role: ResponderRole, perCommunity: number[]): number[] {
    const out: number[] = [];
    const most = Math.max(0, ...perCommunity);
    for (let k = 0; k < most; k++) {
      COMMUNITIES.forEach((_c, community) => {
        if (k < (perCommunity[community] ?? 0)) out.push(this.responder(role, community));
      });
    }
    return out;
  }

  private responder(role: ResponderRole, community: number): number {
    const rng = this.rng;
    const femaleShare = { caregiver: 0.8, volunteer: 0.55, grid_worker: 0.6, doctor: 0.5 }[role];
    const gender: Gender = rng.chance(femaleShare) ? "female" : "male";
    // Many volunteers are younger retirees helping the very old (低龄帮高龄).
    const elder = role === "volunteer" && rng.chance(0.4);
    const name = this.personName(gender, elder ? "elder" : "younger");
    const { skills, transport } = responderProfile(rng, role);
    // Nobody starts on duty: a phone nobody carries would be offered cases it never answers, and
    // the demo city would open in permanent alarm. `npm run sim` puts the phones it drives on
    // duty. Each responder keeps the place of their last shift, hours ago (too old for matching).
    const at = this.scatter(community, 800);
    const lastSeen = this.now - rng.int(8, 72) * HOUR_MS;
    const volunteerHours = role === "volunteer" ? Math.round(rng.next() ** 2 * 3000) / 10 : 0;
    const phone = this.mobile();
    const createdAt = this.now - rng.int(30, 900) * DAY_MS;
    const index =
      this.city.responders.push({
        name,
        phone,
        role,
        community,
        skills,
        transport,
        onDuty: false,
        lat: at.lat,
        lng: at.lng,
        locationAt: lastSeen,
        volunteerHours,
        createdAt,
      }) - 1;
    if (role === "volunteer") this.volunteersOf[community]!.push(index);
    return index;
  }

  /**
   * Grids of 300–500 households; enough of them that each holds at most ~120 enrolled elderly.
   * Each grid is one sector of its community around the centre, so the outlines do not overlap.
   */
  private grids(residentCommunities: number[]): void {
    COMMUNITIES.forEach((_c, community) => {
      const enrolled = residentCommunities.filter((c) => c === community).length;
      const count = Math.max(2, Math.ceil(enrolled / 120));
      for (let k = 1; k <= count; k++) {
        const gridWorker = this.responder("grid_worker", community);
        const households = this.rng.int(300, 500);
        this.gridsOf[community]!.push(
          this.city.grids.push({ community, name: `第${k}网格`, households, gridWorker, outline: null }) - 1,
        );
      }
    });
  }

  /** The grid whose sector of the community holds `at`. */
  private gridAt(community: number, at: { lat: number; lng: number }): number {
    const centre = COMMUNITIES[community]!;
    const grids = this.gridsOf[community]!;
    const turn = (Math.atan2(at.lat - centre.lat, at.lng - centre.lng) / (2 * Math.PI) + 1) % 1;
    return grids[Math.min(grids.length - 1, Math.floor(turn * grids.length))]!;
  }

  /** Each grid's outline: the convex hull of its residents' homes. */
  private outlines(): void {
    const homes = this.city.grids.map((): number[][] => []);
    for (const r of this.city.residents) homes[r.grid]!.push([r.lng, r.lat]);
    this.city.grids.forEach((g, i) => {
      const points = homes[i]!;
      if (points.length < 3) return;
      const ring = concaveman(points, Infinity);
      // The ring comes closed (first corner repeated last); stored open, as [lat, lng].
      g.outline = ring.slice(0, -1).map(([lng, lat]) => [lat!, lng!]);
    });
  }

  private resident(community: number, index: number): void {
    const rng = this.rng;
    const demo = COMMUNITIES[community]!;
    const at = this.scatter(community, 600);
    const grid = this.gridAt(community, at);
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
    // Month and day from the resident's index, so the random stream (and the city) stays as it was.
    const n = this.city.residents.length;
    const birthDate = `${birthYear}-${String(1 + ((n * 7) % 12)).padStart(2, "0")}-${String(1 + ((n * 13) % 28)).padStart(2, "0")}`;
    const phone = rng.chance(0.25) ? `0917-${rng.pick(["3", "2", "8"])}${rng.digits(6)}` : this.mobile();
    const [building, unit, floor, door] = [rng.int(1, 36), rng.int(1, 4), rng.int(1, 7), rng.int(1, 2)];
    const address = `${demo.district}${demo.name} ${building}号楼 ${unit}单元 ${floor}0${door}`;
    const living = rng.share<LivingSituation>({
      alone: 0.42,
      empty_nest: 0.36,
      disabled: 0.14,
      with_family: 0.08,
    });
    const conditions = pickConditions(rng, living);
    const medicines = pickMedicines(rng, conditions);
    const contacts = this.contacts(gender, surname);
    const keyHolder = this.keyHolder(
      living,
      contacts,
      this.city.grids[grid]!.gridWorker,
      building,
      unit,
      floor,
    );
    const volunteers = this.volunteersOf[community]!;
    const paired = volunteers.length > 0 && rng.chance(1 / 3) ? rng.pick(volunteers) : null;
    const createdAt = this.now - rng.int(1, 1000) * DAY_MS;
    const resident =
      this.city.residents.push({
        name,
        gender,
        birthYear,
        birthDate,
        phone,
        address,
        lat: at.lat,
        lng: at.lng,
        community,
        grid,
        livingSituation: living,
        conditions,
        medicines,
        emergencyContacts: contacts,
        keyHolder,
        pairedVolunteer: paired,
        createdAt,
      }) - 1;
    // Bedridden residents get a wall button by the bed or a pendant rather than a wristband.
    const kind = rng.share<DeviceKind>(
      living === "disabled"
        ? { wall_button: 0.6, pendant: 0.4 }
        : { wall_button: 0.45, wrist_button: 0.35, pendant: 0.2 },
    );
    this.city.devices.push({
      id: `BJ-${String(index + 1).padStart(5, "0")}`,
      resident,
      kind,
      battery: rng.int(40, 100),
      createdAt: this.now,
    });
  }

  private users(groups: [prefix: string, width: number, members: number[]][]): void {
    this.city.users.push(
      { username: "admin", displayName: "系统管理员", role: "admin", responder: null },
      { username: "dispatcher", displayName: "平台值班员 李娜", role: "dispatcher", responder: null },
      { username: "manager", displayName: "养老服务中心 王主任", role: "manager", responder: null },
    );
    for (const [prefix, width, members] of groups) {
      const digits = Math.max(width, String(members.length).length);
      members.forEach((m, i) => {
        this.city.users.push({
          username: `${prefix}${String(i + 1).padStart(digits, "0")}`,
          displayName: this.city.responders[m]!.name,
          role: "responder",
          responder: m,
        });
      });
    }
  }

  /** A point uniformly within `radius` metres of the community's centre, to 6 decimals (~0.1 m). */
  private scatter(community: number, radius: number): { lat: number; lng: number } {
    const p = scatterPoint(COMMUNITIES[community]!, radius, this.rng.next);
    return { lat: Math.round(p.lat * 1e6) / 1e6, lng: Math.round(p.lng * 1e6) / 1e6 };
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
    gridWorker: number,
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
    if (who === "community") return `社区服务站（网格员 ${this.city.responders[gridWorker]!.name}）`;
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

// One simulated day of the demo city, as plain data drawn from a seed: the city itself (prisma's
// generator, as `npm start` seeds it), who is on duty when, the alarms of the day (a background
// rate that follows the day, and a burst), and how each kind of responder answers an offer and
// travels. The same scenario is replayed under every policy, so differences are the policy's.
import { generateCity, type CityData } from "../../prisma/city.ts";
import { Rng } from "../../prisma/random.ts";
import type { CaseType, ResponderRole, ServiceKind } from "../../protocol/index.ts";
import { SERVICE_KINDS } from "../../protocol/index.ts";
import { scatter } from "../../protocol/geo.ts";

export interface ScenarioOptions {
  seed: number;
  /** Simulated hours, from midnight. */
  hours: number;
  residents: number;
  caregivers: number;
  volunteers: number;
  /** Emergencies (sos, fall) per day across the city, before the burst. */
  emergenciesPerDay: number;
  servicesPerDay: number;
  /** A burst of emergencies (a heat wave evening, a power cut): how many, from when, over how long. */
  burst: { count: number; atHour: number; minutes: number } | null;
}

export const DAY: ScenarioOptions = {
  seed: 1,
  hours: 24,
  residents: 2000,
  caregivers: 100,
  volunteers: 500,
  emergenciesPerDay: 60,
  servicesPerDay: 80,
  burst: { count: 25, atHour: 19, minutes: 10 },
};

/** How a kind of responder answers an offer: shares and delays (seconds) of each answer. */
export interface Answering {
  accept: number;
  acceptAfter: [number, number];
  decline: number;
  declineAfter: [number, number];
  /** The rest let it ring; of those, this share notices later and taps after the countdown. */
  lateTap: number;
  lateTapAfter: [number, number];
}

/** Caregivers accept most offers within 10–40 s; volunteers a quarter of them, after 20–90 s (issue 16). */
export const ANSWERING: Readonly<Record<ResponderRole, Answering>> = {
  caregiver: {
    accept: 0.88,
    acceptAfter: [10, 40],
    decline: 0.06,
    declineAfter: [5, 20],
    lateTap: 0.4,
    lateTapAfter: [70, 180],
  },
  volunteer: {
    accept: 0.25,
    acceptAfter: [20, 90],
    decline: 0.3,
    declineAfter: [10, 60],
    lateTap: 0.2,
    lateTapAfter: [70, 240],
  },
  grid_worker: {
    accept: 0.6,
    acceptAfter: [15, 60],
    decline: 0.2,
    declineAfter: [10, 40],
    lateTap: 0.3,
    lateTapAfter: [70, 180],
  },
  doctor: {
    accept: 0.5,
    acceptAfter: [20, 60],
    decline: 0.3,
    declineAfter: [10, 30],
    lateTap: 0.3,
    lateTapAfter: [70, 180],
  },
};

/** Real travel differs from the engine's estimate: the street detour and the pace vary per trip. */
export const TRAVEL = { detour: [1.2, 1.6], pace: [0.8, 1.2], setOffSeconds: [20, 90] } as const;

/** Minutes at the door. */
export const SERVICE_MINUTES = { emergency: [20, 50], service: [30, 90] } as const;

export interface Shift {
  responder: number;
  from: number;
  to: number;
}

export interface Alarm {
  at: number;
  resident: number;
  type: Extract<CaseType, "sos" | "fall" | "service_request">;
  service: ServiceKind | null;
  burst: boolean;
}

export interface Scenario {
  options: ScenarioOptions;
  city: CityData;
  /** Responder index in `city.responders` → the base they go on duty from. */
  bases: { lat: number; lng: number }[];
  shifts: Shift[];
  alarms: Alarm[];
  /** Draws for answers and travel, so every policy sees the same dice for the same offer. */
  seed: number;
}

const HOUR = 3_600_000;
/** Alarm rate by hour of the day (relative): mornings and early evenings are busiest. */
const DIURNAL = [
  0.4, 0.3, 0.3, 0.3, 0.4, 0.6, 1.0, 1.4, 1.5, 1.4, 1.2, 1.1, 1.1, 1.0, 1.0, 1.1, 1.2, 1.4, 1.5, 1.4, 1.2,
  0.9, 0.7, 0.5,
];

export function buildScenario(o: ScenarioOptions): Scenario {
  const city = generateCity({
    residents: o.residents,
    caregivers: o.caregivers,
    volunteers: o.volunteers,
    randomSeed: 0x0917_0110, // the demo city as seeded; the day varies with o.seed
    now: 0,
  });
  const rng = new Rng(o.seed * 7919 + 17);
  // Where each responder is when a shift starts: home or the community's service station.
  const bases = city.responders.map((r) => scatter(city.communities[r.community]!, 800, rng.next));
  const shifts = city.responders.flatMap((r, i) => shiftsOf(r.role, i, rng, o.hours));
  return { options: o, city, bases, shifts, alarms: alarmsOf(o, city, rng), seed: o.seed };
}

/** Caregivers in three shifts around the clock; volunteers a few hours by day; grid workers and doctors office hours. */
function shiftsOf(role: ResponderRole, responder: number, rng: Rng, hours: number): Shift[] {
  const at = (h: number) => Math.round(h * HOUR);
  const out: Shift[] = [];
  const add = (from: number, to: number) => {
    if (from < hours) out.push({ responder, from: at(from), to: at(Math.min(to, hours + 6)) });
  };
  switch (role) {
    case "caregiver": {
      const start = rng.weighted([
        [0, 0.25],
        [8, 0.4],
        [16, 0.35],
      ] as const);
      add(start, start + 8);
      break;
    }
    case "volunteer":
      if (rng.chance(0.45)) {
        const from = 7 + rng.next() * 12;
        add(from, from + 2 + rng.next() * 3);
      }
      break;
    case "grid_worker":
      add(8.5, 17.5);
      break;
    case "doctor":
      if (rng.chance(0.7)) add(8, 18);
      break;
  }
  return out;
}

function alarmsOf(o: ScenarioOptions, city: CityData, rng: Rng): Alarm[] {
  const alarms: Alarm[] = [];
  const resident = () => rng.int(0, city.residents.length - 1);
  const total = DIURNAL.reduce((a, b) => a + b, 0);
  for (let h = 0; h < o.hours; h++) {
    const weight = DIURNAL[h % 24]! / total;
    for (const [perDay, kind] of [
      [o.emergenciesPerDay, "emergency"],
      [o.servicesPerDay, "service"],
    ] as const) {
      const n = poisson(rng, perDay * weight);
      for (let k = 0; k < n; k++) {
        const at = Math.round((h + rng.next()) * HOUR);
        const emergency = kind === "emergency";
        alarms.push({
          at,
          resident: resident(),
          type: emergency ? (rng.chance(0.4) ? "fall" : "sos") : "service_request",
          service: emergency ? null : rng.pick(SERVICE_KINDS),
          burst: false,
        });
      }
    }
  }
  if (o.burst && o.burst.atHour < o.hours) {
    for (let k = 0; k < o.burst.count; k++) {
      alarms.push({
        at: Math.round(o.burst.atHour * HOUR + rng.next() * o.burst.minutes * 60_000),
        resident: resident(),
        type: rng.chance(0.4) ? "fall" : "sos",
        service: null,
        burst: true,
      });
    }
  }
  return alarms.sort((a, b) => a.at - b.at);
}

function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k++;
  return k;
}

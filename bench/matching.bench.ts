// Matching: the spatial index against a brute-force scan of every responder for single-case
// ranking (same ranking code, same answers), and the Hungarian batch assignment against greedy
// nearest-first. Pure and in-process: no IO. Run: npm run bench -- matching
import { performance } from "node:perf_hooks";
import {
  CASE_TYPES,
  RESPONDER_ROLES,
  SERVICE_KINDS,
  SKILLS,
  TRANSPORT_MODES,
  haversineMeters,
  scatter,
  type Priority,
} from "../protocol/index.ts";
import {
  ResponderIndex,
  assignBatch,
  assignGreedy,
  hasLocation,
  rankCandidates,
  type CaseNeed,
  type NearbyResponder,
  type ResponderSource,
  type ResponderState,
} from "../dispatcher/matching/index.ts";
import { int, mulberry32, pick } from "../tests/helpers/random.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { isMain } from "./lib/main.ts";
import { BenchReport, type Row } from "./lib/report.ts";
import { distribution, ratio, round } from "./lib/stats.ts";

const BAOJI = { lat: 34.36, lng: 107.24 };
const NOW = Date.UTC(2025, 5, 1, 8, 0, 0);
/** Reseeded at the start of every run, so a run in the smoke test and a full run see alike cities. */
let random = mulberry32(2025);

/** Uniform point in a disc of `radiusMeters` around Baoji. */
const spot = (radiusMeters: number) => scatter(BAOJI, radiusMeters, random);

function makeResponders(count: number, radiusMeters: number): ResponderState[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: `R${i + 1}`,
    role: pick(random, RESPONDER_ROLES),
    skills: SKILLS.filter(() => random() < 0.35),
    transport: pick(random, TRANSPORT_MODES),
    communityId: int(random, 1, 160),
    onDuty: random() < 0.8,
    busy: random() < 0.1,
    ...spot(radiusMeters),
    locationAt: NOW - Math.floor(random() * 20 * 60_000),
  }));
}

function makeNeeds(
  count: number,
  radiusMeters: number,
  responderCount: number,
  emergencyOnly = false,
): CaseNeed[] {
  return Array.from({ length: count }, (_, i) => {
    const type = emergencyOnly ? pick(random, ["sos", "fall"] as const) : pick(random, CASE_TYPES);
    return {
      caseId: i + 1,
      type,
      kind:
        type === "sos" || type === "fall"
          ? "emergency"
          : type === "service_request"
            ? "service"
            : "technical",
      priority: int(random, 1, 4) as Priority,
      service: type === "service_request" ? pick(random, SERVICE_KINDS) : null,
      ...spot(radiusMeters),
      communityId: int(random, 1, 160),
      pairedVolunteerId: random() < 0.3 ? int(random, 1, responderCount) : null,
      excludeResponderIds: [],
    };
  });
}

/** The peer: same ranking code, but every query scans all responders with haversine. */
class LinearScan implements ResponderSource {
  private readonly byId = new Map<number, ResponderState>();
  constructor(private readonly responders: readonly ResponderState[]) {
    for (const r of responders) this.byId.set(r.id, r);
  }
  get(id: number) {
    return this.byId.get(id);
  }
  nearby(lng: number, lat: number, maxDistanceMeters: number, filter?: (r: ResponderState) => boolean) {
    const found: NearbyResponder[] = [];
    for (const r of this.responders) {
      if (!hasLocation(r) || (filter && !filter(r))) continue;
      const distanceMeters = haversineMeters(lat, lng, r.lat, r.lng);
      if (distanceMeters <= maxDistanceMeters) found.push({ responder: r, distanceMeters });
    }
    return found.sort((a, b) => a.distanceMeters - b.distanceMeters);
  }
}

function timeEach<T>(inputs: readonly T[], run: (input: T) => unknown): number[] {
  const micros: number[] = [];
  for (const input of inputs) {
    const start = performance.now();
    run(input);
    micros.push((performance.now() - start) * 1000);
  }
  return micros;
}

export interface MatchingOptions extends RunOptions {
  responders: number;
  cases: number;
  /** Batch sizes: [cases, responders, radius m, layouts]. */
  batches: [number, number, number, number][];
}

export const FULL: MatchingOptions = {
  responders: 10_000,
  cases: 2_000,
  batches: [
    [20, 25, 4_000, 50],
    [200, 600, 10_000, 5],
  ],
};

function ranking(o: MatchingOptions): { rows: Row[]; identical: boolean; scanOverIndex: number | null } {
  const responders = makeResponders(o.responders, 10_000);
  const buildStart = performance.now();
  const index = new ResponderIndex(responders);
  const buildMs = performance.now() - buildStart;
  const linear = new LinearScan(responders);
  const needs = makeNeeds(o.cases, 10_000, o.responders);
  // Warm up both paths so the JIT has compiled them before measuring.
  for (const need of needs.slice(0, Math.min(200, needs.length))) {
    rankCandidates(need, index, NOW);
    rankCandidates(need, linear, NOW);
  }
  const viaIndex = distribution(timeEach(needs, (need) => rankCandidates(need, index, NOW)));
  const viaScan = distribution(timeEach(needs, (need) => rankCandidates(need, linear, NOW)));
  const identical = needs.every(
    (need) =>
      JSON.stringify(rankCandidates(need, index, NOW)) === JSON.stringify(rankCandidates(need, linear, NOW)),
  );
  const rebuild = distribution(timeEach(Array.from({ length: 20 }), () => new ResponderIndex(responders)));
  const row = (method: string, d: typeof viaIndex, build: number | null): Row => ({
    method,
    responders: o.responders,
    rankings: d.count,
    "p50 µs": round(d.p50, 1),
    "p99 µs": round(d.p99, 1),
    "index build ms": build,
  });
  return {
    rows: [
      row("kdbush index", viaIndex, round(buildMs, 2)),
      row("brute-force scan (peer)", viaScan, null),
      {
        method: "index rebuild (median of 20)",
        responders: o.responders,
        rankings: null,
        "p50 µs": null,
        "p99 µs": null,
        "index build ms": round((rebuild.p50 ?? 0) / 1000, 2),
      },
    ],
    identical,
    scanOverIndex: ratio(viaScan.p50, viaIndex.p50),
  };
}

function batch([cases, crew, radiusMeters, rounds]: [number, number, number, number]): Row {
  const batchMs: number[] = [];
  const greedyMs: number[] = [];
  let batchTotal = 0;
  let greedyTotal = 0;
  let batchServed = 0;
  let greedyServed = 0;
  for (let round = 0; round < rounds; round++) {
    const team = makeResponders(crew, radiusMeters).map((r) => ({
      ...r,
      role: "caregiver" as const,
      skills: ["first_aid" as const, "lifting" as const],
      onDuty: true,
      busy: false,
      locationAt: NOW,
    }));
    const crewIndex = new ResponderIndex(team);
    const burst = makeNeeds(cases, radiusMeters, crew, true);
    let start = performance.now();
    const batched = assignBatch(burst, crewIndex, NOW);
    batchMs.push(performance.now() - start);
    start = performance.now();
    const greedy = assignGreedy(burst, crewIndex, NOW);
    greedyMs.push(performance.now() - start);
    batchTotal += batched.totalWeightedEta;
    greedyTotal += greedy.totalWeightedEta;
    batchServed += batched.assignments.length;
    greedyServed += greedy.assignments.length;
  }
  return {
    cases,
    responders: crew,
    layouts: rounds,
    "batch p50 ms": distribution(batchMs).p50,
    "greedy p50 ms": distribution(greedyMs).p50,
    "weighted ETA batch / greedy": round(batchTotal / greedyTotal, 3),
    "served batch": batchServed,
    "served greedy": greedyServed,
  };
}

export function runMatching(o: MatchingOptions): BenchReport {
  random = mulberry32(2025);
  const report = new BenchReport(
    "matching",
    {
      responders: o.responders,
      cases: o.cases,
      area: "random responders and cases within 10 km of Baoji",
      batches: o.batches.map(([c, r, m, l]) => `${c} cases × ${r} responders within ${m} m, ${l} layouts`),
    },
    o,
  );
  const r = ranking(o);
  report.table("rankCandidates: spatial index vs brute-force scan", r.rows);
  report.ratio("p50 ranking time, scan / index", r.scanOverIndex);
  report.target("index and scan rank identically (1 = yes)", r.identical ? 1 : 0, "=", 1);
  report.table("assignBatch (Hungarian) vs assignGreedy", o.batches.map(batch));
  report.write();
  return report;
}

if (isMain(import.meta.url)) {
  const env = loadBenchEnv();
  runMatching({ ...FULL, ...runOptions(env) });
}

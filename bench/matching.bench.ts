// Matching benchmark: spatial index vs linear scan for single-case ranking, and Hungarian batch
// assignment vs greedy. Prints numbers; asserts nothing. Run: npx tsx bench/matching.bench.ts
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

const BAOJI = { lat: 34.36, lng: 107.24 };
const NOW = Date.UTC(2025, 5, 1, 8, 0, 0);
const random = mulberry32(2025);

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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function timeEach<T>(inputs: readonly T[], run: (input: T) => unknown): number[] {
  const micros: number[] = [];
  for (const input of inputs) {
    const start = performance.now();
    run(input);
    micros.push((performance.now() - start) * 1000);
  }
  return micros.sort((a, b) => a - b);
}

const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(9);

// --- single-case ranking ---------------------------------------------------------------------
const RESPONDERS = 10_000;
const responders = makeResponders(RESPONDERS, 10_000);
const buildStart = performance.now();
const index = new ResponderIndex(responders);
const buildMs = performance.now() - buildStart;
const linear = new LinearScan(responders);
const needs = makeNeeds(2_000, 10_000, RESPONDERS);

// Warm up both paths so the JIT has compiled them before measuring.
for (const need of needs.slice(0, 200)) {
  rankCandidates(need, index, NOW);
  rankCandidates(need, linear, NOW);
}
const viaIndex = timeEach(needs, (need) => rankCandidates(need, index, NOW));
const viaScan = timeEach(needs, (need) => rankCandidates(need, linear, NOW));
const identical = needs.every(
  (need) =>
    JSON.stringify(rankCandidates(need, index, NOW)) === JSON.stringify(rankCandidates(need, linear, NOW)),
);
const rebuild = timeEach(Array.from({ length: 20 }), () => new ResponderIndex(responders));

console.log(`matching bench — ${RESPONDERS} responders within 10 km of Baoji, ${needs.length} random cases`);
console.log(
  `index build: first ${buildMs.toFixed(2)} ms, median rebuild ${(percentile(rebuild, 50) / 1000).toFixed(2)} ms`,
);
console.log("rankCandidates µs/ranking      median       p99");
const medIndex = percentile(viaIndex, 50);
const medScan = percentile(viaScan, 50);
console.log(`  kdbush index          ${fmt(medIndex)} ${fmt(percentile(viaIndex, 99))}`);
console.log(`  linear scan (peer)    ${fmt(medScan)} ${fmt(percentile(viaScan, 99))}`);
console.log(
  `  ratio scan/index      ${fmt(medScan / medIndex)}× ${fmt(percentile(viaScan, 99) / percentile(viaIndex, 99))}×`,
);
console.log(`  identical rankings: ${identical ? "yes" : "NO"}`);

// --- batch assignment ------------------------------------------------------------------------
function benchBatch(cases: number, crew: number, radiusMeters: number, rounds: number): void {
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
    const batch = assignBatch(burst, crewIndex, NOW);
    batchMs.push(performance.now() - start);
    start = performance.now();
    const greedy = assignGreedy(burst, crewIndex, NOW);
    greedyMs.push(performance.now() - start);
    batchTotal += batch.totalWeightedEta;
    greedyTotal += greedy.totalWeightedEta;
    batchServed += batch.assignments.length;
    greedyServed += greedy.assignments.length;
  }
  batchMs.sort((a, b) => a - b);
  greedyMs.sort((a, b) => a - b);
  console.log(
    `  ${String(cases).padStart(3)} cases × ${String(crew).padStart(3)} responders (${rounds} layouts): ` +
      `batch median ${percentile(batchMs, 50).toFixed(2)} ms, greedy median ${percentile(greedyMs, 50).toFixed(2)} ms; ` +
      `weighted ETA batch/greedy ${(batchTotal / greedyTotal).toFixed(3)}; served ${batchServed} vs ${greedyServed}`,
  );
}

console.log("assignBatch (Hungarian) vs assignGreedy");
benchBatch(20, 25, 4_000, 50);
benchBatch(200, 600, 10_000, 5);

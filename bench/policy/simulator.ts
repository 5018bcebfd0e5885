// A discrete-event simulation of one scenario under one policy. It drives the real dispatch code —
// the case engine (`apply`), the dispatch turn (`Dispatch.settle`: matching for every case that
// asks), the in-memory model with its due-time index, the responder pool, the retry triggers and
// the sweep — with an in-memory store in place of SQLite and simulated phones in place of people.
// Only the world is simulated: presses, answers, travel, shifts.
import TinyQueue from "tinyqueue";
import { mulberry32 } from "../../prisma/random.ts";
import { haversineMeters, scatter, type LatLng } from "../../protocol/geo.ts";
import { ResponderPool, type MatchingOptions, type ResponderState } from "../../dispatcher/matching/index.ts";
import { Dispatch, unchanged, type CaseStep, type CaseStore } from "../../dispatcher/cases/dispatch.ts";
import { DispatchModel, takeWork, type CaseSite } from "../../dispatcher/cases/dispatch-model.ts";
import { apply, createCase } from "../../dispatcher/cases/machine.ts";
import {
  SYSTEM,
  type Actor,
  type CaseState,
  type Command,
  type Policy,
} from "../../dispatcher/cases/state.ts";
import { ANSWERING, SERVICE_MINUTES, TRAVEL, type Alarm, type Scenario } from "./scenario.ts";

export interface PolicyConfig {
  name: string;
  policy: Policy;
  matching: MatchingOptions;
}

/** What happened to one alarm. Times in ms from midnight; null when it never happened. */
export interface CaseRecord {
  alarm: Alarm;
  emergency: boolean;
  firstOfferAt: number | null;
  escalatedAt: number | null;
  acceptedAt: number | null;
  arrivedAt: number | null;
  takeovers: number;
  /** The engine's ETA of the best first offer, and of the responder who came. */
  firstOfferEta: number | null;
  acceptedEta: number | null;
}

export interface SimResult {
  config: string;
  cases: CaseRecord[];
  /** Σ time responders worked cases ÷ Σ time they were on duty. */
  utilisation: number;
}

type Event =
  | { kind: "press"; alarm: number }
  | { kind: "answer"; responder: number; caseId: number; accept: boolean }
  | { kind: "set_off" | "arrive" | "done"; responder: number; caseId: number; trip: number }
  | { kind: "shift"; responder: number; on: boolean }
  | { kind: "due" | "sweep" | "ping" };

const SWEEP_MS = 60_000;
const PING_MS = 5 * 60_000;
/** After the last alarm, time for the day's cases to end. */
const DRAIN_MS = 3 * 3_600_000;

export async function simulate(sc: Scenario, cfg: PolicyConfig): Promise<SimResult> {
  const sim = new Simulation(sc, cfg);
  await sim.run();
  return sim.result();
}

class Simulation {
  private now = 0;
  private seq = 0;
  private readonly queue = new TinyQueue<{ at: number; seq: number; e: Event }>(
    [],
    (a, b) => a.at - b.at || a.seq - b.seq,
  );
  private readonly states = new Map<number, CaseState>();
  private readonly responders: ResponderState[];
  private readonly pool = new ResponderPool();
  private readonly model = new DispatchModel((id, work) => this.workChanged(id, work));
  private readonly dispatch: Dispatch;
  private readonly records: CaseRecord[] = [];
  private readonly recordOf = new Map<number, CaseRecord>();
  private readonly offersSeen = new Map<string, number>();
  private readonly trips = new Map<
    number,
    { trip: number; caseId: number; from: LatLng; to: LatLng; departAt: number; arriveAt: number }
  >();
  private readonly busySince = new Map<number, number>();
  private busyMs = 0;
  private readonly triggered = new Set<number>();
  private dueAt: number | null = null;
  private nextCaseId = 1;
  private nextTrip = 1;
  private readonly end: number;

  constructor(
    private readonly sc: Scenario,
    private readonly cfg: PolicyConfig,
  ) {
    this.dispatch = new Dispatch(this.model, this.pool, cfg.policy, cfg.matching);
    this.responders = sc.city.responders.map((r, i) => ({
      id: i + 1,
      name: r.name,
      role: r.role,
      skills: r.skills,
      transport: r.transport,
      communityId: r.community + 1,
      onDuty: false,
      busy: false,
      holding: null,
      lat: null,
      lng: null,
      locationAt: null,
    }));
    for (const r of this.responders) this.pool.put(r);
    this.end = sc.options.hours * 3_600_000 + DRAIN_MS;
    sc.alarms.forEach((a, i) => this.at(a.at, { kind: "press", alarm: i }));
    for (const s of sc.shifts) {
      this.at(s.from, { kind: "shift", responder: s.responder + 1, on: true });
      this.at(s.to, { kind: "shift", responder: s.responder + 1, on: false });
    }
    this.at(SWEEP_MS, { kind: "sweep" });
    this.at(PING_MS, { kind: "ping" });
  }

  async run(): Promise<void> {
    for (let item = this.queue.pop(); item && item.at <= this.end; item = this.queue.pop()) {
      this.now = item.at;
      await this.handle(item.e);
      await this.retryTriggered();
      this.armDue();
    }
    for (const since of this.busySince.values()) this.busyMs += this.end - since;
  }

  result(): SimResult {
    const onDutyMs = this.sc.shifts.reduce((sum, s) => sum + Math.min(s.to, this.end) - s.from, 0);
    return {
      config: this.cfg.name,
      cases: this.records,
      utilisation: onDutyMs > 0 ? this.busyMs / onDutyMs : 0,
    };
  }

  private at(at: number, e: Event): void {
    this.queue.push({ at, seq: this.seq++, e });
  }

  private async handle(e: Event): Promise<void> {
    switch (e.kind) {
      case "press":
        return this.press(e.alarm);
      case "answer": {
        const r = this.responders[e.responder - 1]!;
        if (e.accept && this.dispatch.busyElsewhere(r.id, e.caseId)) return;
        const actor: Actor = { type: "responder", id: String(r.id), name: r.name };
        return this.command(e.caseId, { type: e.accept ? "accept" : "decline", responderId: r.id, actor });
      }
      case "set_off":
      case "arrive":
      case "done":
        return this.visit(e);
      case "shift":
        return this.shift(e.responder, e.on);
      case "due": {
        this.dueAt = null;
        const due = this.model.takeDue(this.now);
        return this.turn(async (store) => {
          const steps: CaseStep[] = [];
          for (const id of due) {
            const s = await store.command(id, { type: "tick" });
            if (s) steps.push(s);
          }
          return this.dispatch.settle(store, steps, [], this.now);
        });
      }
      case "sweep":
        this.at(this.now + SWEEP_MS, { kind: "sweep" });
        return this.rematch(this.dispatch.wanting(this.now));
      case "ping":
        // Phones on duty report where they are now and then, also at a door during a visit (so a
        // responder who comes free is not a stale position to matching); one waiting has not moved.
        // Positions on the way are not modelled (nobody travelling can be asked anyway).
        this.at(this.now + PING_MS, { kind: "ping" });
        for (const r of this.responders) {
          if (r.onDuty && r.lat !== null && r.lng !== null && !this.travelling(r.id))
            this.locate(r, { lat: r.lat, lng: r.lng });
        }
        return;
    }
  }

  private async press(index: number): Promise<void> {
    const alarm = this.sc.alarms[index]!;
    const resident = this.sc.city.residents[alarm.resident]!;
    const record: CaseRecord = {
      alarm,
      emergency: alarm.type !== "service_request",
      firstOfferAt: null,
      escalatedAt: null,
      acceptedAt: null,
      arrivedAt: null,
      takeovers: 0,
      firstOfferEta: null,
      acceptedEta: null,
    };
    this.records.push(record);
    // A second press of a resident with an open case joins it in the platform; here each alarm is its own case.
    const id = this.nextCaseId++;
    const { state, effects } = createCase(
      {
        id,
        type: alarm.type,
        service: alarm.service,
        residentId: alarm.resident + 1,
        communityId: resident.community + 1,
        deviceId: null,
        openingEventId: null,
        actor: SYSTEM,
      },
      this.now,
      this.cfg.policy,
    );
    const site: CaseSite = {
      lat: resident.lat,
      lng: resident.lng,
      communityId: resident.community + 1,
      pairedVolunteerId: resident.pairedVolunteer === null ? null : resident.pairedVolunteer + 1,
      service: alarm.service,
    };
    this.states.set(id, state);
    this.recordOf.set(id, record);
    await this.turn((store) =>
      this.dispatch.settle(store, [{ caseId: id, created: true, state, effects, site }], [], this.now),
    );
  }

  private command(caseId: number, command: Command): Promise<void> {
    return this.turn(async (store) => {
      const step = await store.command(caseId, command);
      return step ? this.dispatch.settle(store, [step], [], this.now) : [];
    });
  }

  private async rematch(ids: Iterable<number>): Promise<void> {
    const worth = this.dispatch.worthMatching(ids, this.now);
    if (worth.length > 0) await this.turn((store) => this.dispatch.settle(store, [], worth, this.now));
  }

  /** One turn, as the live runner has it: the steps, then memory follows them, then the world reacts. */
  private async turn(fn: (store: CaseStore) => Promise<CaseStep[]>): Promise<void> {
    const steps = await fn(this.store);
    for (const s of steps) this.model.observe(s.state, s.site);
    for (const s of steps) this.react(s);
  }

  private readonly store: CaseStore = {
    command: (caseId, command) => {
      const before = this.states.get(caseId);
      if (!before) return Promise.resolve(null);
      const r = apply(before, command, this.now, this.cfg.policy);
      if (!r.ok || (r.effects.length === 0 && unchanged(before, r.state))) return Promise.resolve(null);
      this.states.set(caseId, r.state);
      return Promise.resolve({ caseId, created: false, state: r.state, effects: r.effects });
    },
    // Memory is the whole truth here.
    free: () => Promise.resolve(true),
  };

  /** The phones and the people: answers to offers, travel after an accept, a released responder stops. */
  private react(step: CaseStep): void {
    const record = this.recordOf.get(step.caseId)!;
    for (const e of step.effects) {
      if (e.kind === "offers_made") {
        if (record.firstOfferAt === null) {
          record.firstOfferAt = this.now;
          const etas = step.state.offers
            .filter((o) => e.responderIds.includes(o.responderId))
            .map((o) => o.etaSeconds);
          record.firstOfferEta = Math.min(...etas);
        }
        for (const id of e.responderIds) this.answer(step, id);
      } else if (e.kind === "event" && e.type === "escalated") record.escalatedAt ??= this.now;
      else if (e.kind === "responder_assigned") {
        if (record.acceptedAt !== null) record.takeovers++;
        record.acceptedAt ??= this.now;
        record.acceptedEta = step.state.etaSeconds;
        this.startTrip(e.responderId, step.caseId);
      } else if (e.kind === "responder_released") this.stopTrip(e.responderId);
      else if (e.kind === "event" && e.type === "arrived") record.arrivedAt ??= this.now;
    }
  }

  /** The same responder answers the same offer the same way under every policy (seeded per offer). */
  private answer(step: CaseStep, responderId: number): void {
    const key = `${step.caseId}:${responderId}`;
    const nth = (this.offersSeen.get(key) ?? 0) + 1;
    this.offersSeen.set(key, nth);
    const alarmIndex = this.sc.alarms.indexOf(this.recordOf.get(step.caseId)!.alarm);
    const roll = dice(this.sc.seed, alarmIndex, responderId, nth);
    const a = ANSWERING[this.responders[responderId - 1]!.role];
    const between = ([lo, hi]: readonly [number, number]) => (lo + roll() * (hi - lo)) * 1000;
    const r = roll();
    const offer = step.state.offers.findLast((o) => o.responderId === responderId)!;
    if (r < a.accept)
      this.at(this.now + between(a.acceptAfter), {
        kind: "answer",
        responder: responderId,
        caseId: step.caseId,
        accept: true,
      });
    else if (r < a.accept + a.decline)
      this.at(this.now + between(a.declineAfter), {
        kind: "answer",
        responder: responderId,
        caseId: step.caseId,
        accept: false,
      });
    else if (roll() < a.lateTap)
      this.at(offer.createdAt + between(a.lateTapAfter), {
        kind: "answer",
        responder: responderId,
        caseId: step.caseId,
        accept: true,
      });
  }

  private startTrip(responderId: number, caseId: number): void {
    const r = this.responders[responderId - 1]!;
    const site = this.model.site(caseId)!;
    const alarmIndex = this.sc.alarms.indexOf(this.recordOf.get(caseId)!.alarm);
    const roll = dice(this.sc.seed, alarmIndex, responderId, -1);
    const span = ([lo, hi]: readonly [number, number]) => lo + roll() * (hi - lo);
    const from = { lat: r.lat ?? site.lat, lng: r.lng ?? site.lng };
    const meters = haversineMeters(from.lat, from.lng, site.lat, site.lng) * span(TRAVEL.detour);
    const speed = this.cfg.matching.speedsMps[r.transport] * span(TRAVEL.pace);
    const departAt = this.now + span(TRAVEL.setOffSeconds) * 1000;
    const trip = this.nextTrip++;
    this.trips.set(responderId, {
      trip,
      caseId,
      from,
      to: site,
      departAt,
      arriveAt: departAt + (meters / speed) * 1000,
    });
    this.at(departAt, { kind: "set_off", responder: responderId, caseId, trip });
    this.at(departAt + (meters / speed) * 1000, { kind: "arrive", responder: responderId, caseId, trip });
  }

  private travelling(responderId: number): boolean {
    const t = this.trips.get(responderId);
    return t !== undefined && this.now < t.arriveAt;
  }

  /** Taken off the case on the way: they stop where they are and are free again. */
  private stopTrip(responderId: number): void {
    const t = this.trips.get(responderId);
    if (!t) return;
    this.trips.delete(responderId);
    const f = Math.min(1, Math.max(0, (this.now - t.departAt) / (t.arriveAt - t.departAt)));
    const r = this.responders[responderId - 1]!;
    this.locate(r, {
      lat: t.from.lat + (t.to.lat - t.from.lat) * f,
      lng: t.from.lng + (t.to.lng - t.from.lng) * f,
    });
  }

  private async visit(e: Extract<Event, { trip: number }>): Promise<void> {
    const t = this.trips.get(e.responder);
    if (!t || t.trip !== e.trip) return; // released meanwhile
    const r = this.responders[e.responder - 1]!;
    const actor: Actor = { type: "responder", id: String(r.id), name: r.name };
    if (e.kind === "set_off") return this.command(e.caseId, { type: "en_route", responderId: r.id, actor });
    if (e.kind === "arrive") {
      this.locate(r, t.to);
      const kind = this.states.get(e.caseId)!.kind === "emergency" ? "emergency" : "service";
      const [lo, hi] = SERVICE_MINUTES[kind];
      const roll = dice(this.sc.seed, this.sc.alarms.indexOf(this.recordOf.get(e.caseId)!.alarm), r.id, -2);
      this.at(this.now + (lo + roll() * (hi - lo)) * 60_000, {
        kind: "done",
        responder: r.id,
        caseId: e.caseId,
        trip: e.trip,
      });
      return this.command(e.caseId, { type: "arrive", responderId: r.id, actor });
    }
    this.trips.delete(e.responder);
    return this.command(e.caseId, { type: "resolve", actor, responderId: r.id, note: "done" });
  }

  private shift(responderId: number, on: boolean): void {
    const r = this.responders[responderId - 1]!;
    r.onDuty = on;
    if (on) {
      const base = this.sc.bases[responderId - 1]!;
      this.locate(r, scatter(base, 50, mulberry32(responderId)));
      this.triggered.add(responderId);
    } else this.pool.put(r);
  }

  private locate(r: ResponderState, at: LatLng): void {
    r.lat = at.lat;
    r.lng = at.lng;
    r.locationAt = this.now;
    this.pool.put(r);
  }

  /** The model's view of work becomes matching's; a responder who came free may help a waiting case. */
  private workChanged(id: number, work: Parameters<typeof takeWork>[1]): void {
    const r = this.responders[id - 1]!;
    const working = work !== undefined && work.activity !== "offered";
    const since = this.busySince.get(id);
    if (working && since === undefined) this.busySince.set(id, this.now);
    if (!working && since !== undefined) {
      this.busyMs += this.now - since;
      this.busySince.delete(id);
    }
    if (takeWork(r, work)) this.triggered.add(id);
    this.pool.put(r);
  }

  /** As the live runner does on duty, freed and moved: look at the waiting cases these could help. */
  private async retryTriggered(): Promise<void> {
    while (this.triggered.size > 0) {
      const free = [...this.triggered]
        .map((id) => this.responders[id - 1]!)
        .filter((r) => r.onDuty && !r.busy);
      this.triggered.clear();
      await this.rematch(this.dispatch.helpedBy(free, this.now));
    }
  }

  private armDue(): void {
    const next = this.model.nextDue();
    if (next === null || (this.dueAt !== null && this.dueAt <= next)) return;
    this.dueAt = next;
    this.at(Math.max(next, this.now), { kind: "due" });
  }
}

/** A seeded draw per (scenario, alarm, responder, n): the dice do not depend on the policy. */
function dice(seed: number, alarm: number, responder: number, n: number): () => number {
  let h = 2166136261;
  for (const v of [seed, alarm, responder, n])
    h = Math.imul(h ^ (v & 0xffff), 16777619) ^ Math.imul(h ^ (v >>> 16), 16777619);
  return mulberry32(h >>> 0);
}

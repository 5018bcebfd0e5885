import { describe, expect, it } from "vitest";
import { CASE_TYPES, SERVICE_KINDS } from "../../protocol/index.ts";
import {
  FIT_RULES,
  ResponderIndex,
  SERVICE_SKILL,
  fitsCase,
  rankCandidates,
} from "../../dispatcher/matching/index.ts";
import { NOW, responder, sos } from "./matching-fixtures.ts";

const fall = sos(1, { type: "fall" });
const meal = sos(1, { type: "service_request", kind: "service", priority: 3, service: "meal" });

describe("who fits which case", () => {
  it("an SOS goes to caregivers, doctors and grid workers, or anyone trained in first aid", () => {
    expect(fitsCase(sos(), responder(1, 0, 0, { role: "caregiver", skills: [] }))).toBe(true);
    expect(fitsCase(sos(), responder(2, 0, 0, { role: "doctor", skills: [] }))).toBe(true);
    expect(fitsCase(sos(), responder(3, 0, 0, { role: "grid_worker", skills: [] }))).toBe(true);
    expect(fitsCase(sos(), responder(4, 0, 0, { role: "volunteer", skills: ["meal"] }))).toBe(false);
    expect(fitsCase(sos(), responder(5, 0, 0, { role: "volunteer", skills: ["first_aid"] }))).toBe(true);
  });

  it("a fall needs a lifting-trained responder, whatever the role", () => {
    expect(fitsCase(fall, responder(1, 0, 0, { role: "caregiver", skills: ["first_aid"] }))).toBe(false);
    expect(fitsCase(fall, responder(2, 0, 0, { role: "doctor", skills: ["medical"] }))).toBe(false);
    expect(fitsCase(fall, responder(3, 0, 0, { role: "volunteer", skills: ["lifting"] }))).toBe(true);
  });

  it("a fall is offered to the lifting-trained volunteer, not the nearer caregiver who cannot lift", () => {
    const index = new ResponderIndex([
      responder(1, 100, 0, { role: "caregiver", skills: ["first_aid"] }),
      responder(2, 600, 0, { role: "volunteer", skills: ["lifting"] }),
    ]);
    expect(rankCandidates(fall, index, NOW).map((c) => c.responderId)).toEqual([2]);
  });

  it("a meal request goes to a volunteer with the meal skill", () => {
    const index = new ResponderIndex([
      responder(1, 50, 0, { role: "volunteer", skills: ["haircut"] }),
      responder(2, 80, 0, { role: "grid_worker", skills: ["meal"] }),
      responder(3, 400, 0, { role: "volunteer", skills: ["meal", "companionship"] }),
      // 800 m on foot is 14 min, inside the first ETA band.
      responder(4, 800, 0, { role: "caregiver", skills: ["meal"] }),
    ]);
    expect(rankCandidates(meal, index, NOW).map((c) => c.responderId)).toEqual([3, 4]);
  });

  it("each service is delivered only by someone offering that very service", () => {
    for (const service of SERVICE_KINDS) {
      const request = { ...meal, service };
      const skill = SERVICE_SKILL[service];
      expect(fitsCase(request, responder(1, 0, 0, { role: "volunteer", skills: [skill] }))).toBe(true);
      const others = Object.values(SERVICE_SKILL).filter((s) => s !== skill);
      expect(fitsCase(request, responder(2, 0, 0, { role: "volunteer", skills: others }))).toBe(false);
    }
  });

  it("a device problem sends a grid worker or caregiver for a home check, not a volunteer or doctor", () => {
    for (const type of ["low_battery", "device_offline", "no_activity"] as const) {
      const check = sos(1, { type, kind: "technical", priority: 4 });
      expect(fitsCase(check, responder(1, 0, 0, { role: "grid_worker", skills: [] }))).toBe(true);
      expect(fitsCase(check, responder(2, 0, 0, { role: "caregiver", skills: [] }))).toBe(true);
      expect(fitsCase(check, responder(3, 0, 0, { role: "volunteer", skills: ["first_aid"] }))).toBe(false);
      expect(fitsCase(check, responder(4, 0, 0, { role: "doctor", skills: ["medical"] }))).toBe(false);
    }
  });

  it("every case type has a rule with an explanation the console can show", () => {
    expect(Object.keys(FIT_RULES).sort()).toEqual([...CASE_TYPES].sort());
    for (const rule of Object.values(FIT_RULES)) expect(rule.why.length).toBeGreaterThan(10);
  });
});

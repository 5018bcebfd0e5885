// The policy simulator's smoke run (npm run bench:policy runs the full days): one short seeded
// scenario through the real engine under the product's policy and the baseline. It checks that
// the simulation is sound, not how good the policy is — that is measured in bench/results/policy.json.
import { describe, expect, it } from "vitest";
import { runPolicyBench } from "../../bench/policy/main.ts";
import { BASELINE, PRODUCT } from "../../bench/policy/policies.ts";
import { buildScenario, DAY, type ScenarioOptions } from "../../bench/policy/scenario.ts";
import { simulate } from "../../bench/policy/simulator.ts";

const SHORT: ScenarioOptions = {
  ...DAY,
  seed: 3,
  hours: 3,
  residents: 600,
  caregivers: 30,
  volunteers: 120,
  emergenciesPerDay: 160,
  servicesPerDay: 120,
  burst: { count: 6, atHour: 1, minutes: 5 },
};

describe("the policy simulator", () => {
  it("follows every alarm of a short day through the real engine, in order, under both policies", async () => {
    const scenario = buildScenario(SHORT);
    expect(scenario.alarms.filter((a) => a.burst)).toHaveLength(6);
    for (const config of [PRODUCT, BASELINE]) {
      const { cases, utilisation } = await simulate(scenario, config);
      expect(cases).toHaveLength(scenario.alarms.length);
      expect(utilisation).toBeGreaterThan(0);
      expect(utilisation).toBeLessThan(1);
      for (const c of cases) {
        const times = [c.alarm.at, c.firstOfferAt ?? c.escalatedAt, c.acceptedAt, c.arrivedAt];
        const known = times.filter((t): t is number => t !== null && t !== undefined);
        expect(known).toEqual([...known].sort((a, b) => a - b));
        if (c.arrivedAt !== null) expect(c.acceptedAt).not.toBeNull();
        if (c.acceptedAt !== null) expect(c.firstOfferAt).not.toBeNull();
      }
      const emergencies = cases.filter((c) => c.emergency);
      expect(emergencies.filter((c) => c.arrivedAt !== null).length).toBeGreaterThan(emergencies.length / 2);
    }
  });

  it("the product has an offer out or staff alerted within 60 s for every emergency, and replays identically", async () => {
    const o = { seeds: 1, scenario: SHORT, configs: [PRODUCT, BASELINE] };
    const first = await runPolicyBench(o);
    const product = first.rows.find((r) => r.policy === PRODUCT.name)!;
    expect(product.overall.emergencies).toBeGreaterThan(5);
    expect(product.overall["% neither offer nor escalation within 60 s"]).toBe(0);
    const again = await runPolicyBench(o);
    expect(again.rows.map((r) => r.overall)).toEqual(first.rows.map((r) => r.overall));
    expect(Object.keys(first.ratios.overall)).toContain("% on scene > 15 min");
  });
});

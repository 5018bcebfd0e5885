// Coverage gaps as stored alerts: a sweep (the leader's, with the injected clock) raises one alert
// per community per gap in its roster's coverage, COVERAGE_ALERT_AHEAD_HOURS before the gap
// starts, keeps its stretch up to date as the roster changes, and resolves it once the roster
// fills the gap (or the gap went by). Staff list them and acknowledge each one they have seen.
import {
  COVERAGE_ALERT_AHEAD_HOURS,
  type CoverageAlert,
  type CoverageAlertListQuery,
} from "../../protocol/index.ts";
import { communityScope, inScope, requirePermission, type Principal } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import * as repo from "./coverage-repository.ts";
import { decideCoverage } from "./coverage-rule.ts";
import type { RosterService } from "./service.ts";

const HOUR = 3_600_000;
const AHEAD_MS = COVERAGE_ALERT_AHEAD_HOURS * HOUR;
/** Gaps are looked for this far ahead, so an alert's stretch reaches past its first 12 hours. */
const LOOK_AHEAD_MS = 24 * HOUR;
const LIST_LIMIT = 200;

export class CoverageAlerts {
  constructor(
    private readonly deps: {
      db: SqlDatabase;
      clock: Clock;
      notifier: Pick<Notifier, "coverageAlert">;
      rosters: Pick<RosterService, "coverage" | "communities">;
    },
  ) {}

  /** One pass over every community; returns the ids of alerts raised now. */
  async sweep(): Promise<number[]> {
    const now = this.deps.clock.now();
    const raised: number[] = [];
    const changed: number[] = [];
    const communities = await this.deps.rosters.communities();
    await this.deps.db.write(async (tx) => {
      // Read in the write transaction: two sweeps at once (a manual one) cannot both raise a gap.
      const open = await repo.openAlerts(tx);
      for (const c of communities) {
        const { gaps } = this.deps.rosters.coverage(c.id, now, now + LOOK_AHEAD_MS);
        const d = decideCoverage(
          open.filter((a) => a.communityId === c.id),
          gaps,
          now,
          AHEAD_MS,
        );
        for (const g of d.raise) {
          raised.push(
            await repo.insertAlert(tx, { communityId: c.id, from: g.start, until: g.end, at: now }),
          );
        }
        for (const m of d.move) {
          await repo.moveAlert(tx, m.id, m.from, m.until);
          changed.push(m.id);
        }
        for (const r of d.resolve) {
          await repo.resolveAlert(tx, r.id, r.resolution, now);
          changed.push(r.id);
        }
      }
    });
    for (const id of [...raised, ...changed]) await this.announce(id);
    return raised;
  }

  list(user: Principal, query: CoverageAlertListQuery): Promise<CoverageAlert[]> {
    requirePermission(user, "responder.read");
    return repo.listAlerts(this.deps.db, {
      openOnly: query.state === "open",
      scope: communityScope(user),
      limit: LIST_LIMIT,
    });
  }

  /** Idempotent: the alert stays open until the roster covers the stretch; this says it was seen. */
  async acknowledge(user: Principal, id: number): Promise<CoverageAlert> {
    requirePermission(user, "responder.read");
    const before = await repo.findAlert(this.deps.db, id);
    if (!before || !inScope(user, before.communityId)) {
      throw new DomainError("not_found", `coverage alert ${id} not found`);
    }
    const changed = await this.deps.db.write((tx) =>
      repo.acknowledge(tx, id, { at: this.deps.clock.now(), userId: user.id, name: user.displayName }),
    );
    const after = (await repo.findAlert(this.deps.db, id))!;
    if (changed > 0) this.deps.notifier.coverageAlert(after);
    return after;
  }

  private async announce(id: number): Promise<void> {
    const a = await repo.findAlert(this.deps.db, id);
    if (a) this.deps.notifier.coverageAlert(a);
  }
}

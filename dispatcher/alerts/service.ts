// Staff alerts: stored with the step that raised them (so a reload or reconnect still shows every
// one nobody acknowledged), pushed to consoles after the commit, acknowledged one by one.
import type { AlertKind, AlertListQuery, StaffAlert, User } from "../../protocol/index.ts";
import { communityScope, inScope, requirePermission } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase, Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import * as repo from "./repository.ts";

/** The console never needs more than this many at once; older ones stay in the database. */
const LIST_LIMIT = 500;

export interface NewAlert {
  caseId: number;
  kind: AlertKind;
  message: string;
}

export class AlertService {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    private readonly notifier: Pick<Notifier, "alert" | "alertUpdated">,
  ) {}

  /** Inside the raising step's transaction; announce the id once it committed. */
  recordTx(tx: Tx, a: NewAlert): Promise<number> {
    return repo.insertAlert(tx, { ...a, at: this.clock.now() });
  }

  /** Inside the step that ended the case: what is left open needs nobody any more. */
  settleTx(tx: Tx, caseId: number, by: { userId: number | null; name: string | null }): Promise<number[]> {
    return repo.acknowledgeAllOf(tx, caseId, { ...by, at: this.clock.now() });
  }

  /** After the commit: every console hears of new alerts, and of settled ones. */
  async announce(ids: readonly number[], settled: readonly number[] = []): Promise<void> {
    for (const id of ids) {
      const alert = await repo.findAlert(this.db, id);
      if (alert) this.notifier.alert(alert);
    }
    for (const id of settled) {
      const alert = await repo.findAlert(this.db, id);
      if (alert) this.notifier.alertUpdated(alert);
    }
  }

  list(user: User, query: AlertListQuery): Promise<StaffAlert[]> {
    requirePermission(user, "case.read");
    return repo.listAlerts(this.db, {
      openOnly: query.state === "open",
      caseId: query.caseId ?? null,
      communityIds: communityScope(user),
      limit: LIST_LIMIT,
    });
  }

  /** Idempotent: a second click (or a second console) changes nothing and gets the alert as it is. */
  async acknowledge(user: User, id: number): Promise<StaffAlert> {
    requirePermission(user, "case.dispatch");
    const before = await repo.findAlert(this.db, id);
    if (!before || !inScope(user, before.communityId)) {
      throw new DomainError("not_found", `alert ${id} not found`, { entity: "alert", id });
    }
    const changed = await this.db.write((tx) =>
      repo.acknowledge(tx, id, { at: this.clock.now(), userId: user.id, name: user.displayName }),
    );
    const after = (await repo.findAlert(this.db, id))!;
    if (changed > 0) this.notifier.alertUpdated(after);
    return after;
  }
}

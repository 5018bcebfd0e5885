// The hotline intake: staff turn a phone call into a case. One transaction finds (or, for a caller
// not in the register, records) who the call is about, then hands the call to the case engine,
// which joins the resident's open case of that kind or opens one exactly as a press would.
import type { IntakeRequest, IntakeResult } from "../../protocol/index.ts";
import { requirePermission, type Principal } from "../auth/access.ts";
import type { CaseService } from "../cases/service.ts";
import type { Queryable, SqlDatabase, Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import type { IntakeHome, UnregisteredPlace } from "../residents/service.ts";
import type { ServiceOrderService } from "../service-orders/service.ts";

/** What the intake needs of the resident register. */
export interface IntakeResidents {
  forIntake(q: Queryable, user: Principal, id: number): Promise<IntakeHome>;
  placeUnregisteredTx(tx: Tx, user: Principal, place: UnregisteredPlace): Promise<IntakeHome>;
}

export interface IntakeServiceDeps {
  db: SqlDatabase;
  cases: CaseService;
  /** Reads the order a service call placed, as the caller may see it. */
  orders: Pick<ServiceOrderService, "get">;
  residents: IntakeResidents;
}

export class IntakeService {
  constructor(private readonly deps: IntakeServiceDeps) {}

  async take(user: Principal, req: IntakeRequest): Promise<IntakeResult> {
    requirePermission(user, "case.dispatch");
    const { cases, residents } = this.deps;
    const taken = await this.deps.db.write(async (tx) => {
      const home =
        req.residentId !== undefined
          ? await residents.forIntake(tx, user, req.residentId)
          : await residents.placeUnregisteredTx(tx, user, {
              location: req.location!,
              address: req.address!,
              name: req.name,
              caller: req.caller,
            });
      return cases.takeHotlineCall(tx, user, home, {
        type: req.type,
        service: req.service ?? null,
        priority: req.priority ?? null,
        caller: req.caller,
        notes: req.notes === undefined || req.notes === "" ? null : req.notes,
        window: req.window ? { from: Date.parse(req.window.from), to: Date.parse(req.window.to) } : null,
      });
    });
    if ("orderId" in taken) {
      await taken.announce();
      return { case: null, order: await this.deps.orders.get(user, taken.orderId), joined: taken.joined };
    }
    await cases.afterCommit(taken.steps);
    const summary = await cases.summary(taken.caseId);
    if (!summary) throw new DomainError("not_found", `case ${taken.caseId} not found`);
    return { case: summary, order: null, joined: taken.joined };
  }
}

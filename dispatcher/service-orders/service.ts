// Service orders: what residents (through staff, the hotline or the button), staff and responders
// may do with them. The rules of each step are pure (rules.ts); here are access, storage and the
// messages after the commit. `orderService` is how other features (the hotline intake) place one.
import {
  type OrderDoneRequest,
  type OrderOrigin,
  type ResponderOrders,
  type ServiceOrder,
  type ServiceOrderInput,
  type ServiceOrderListQuery,
  type ServiceOrderStatus,
} from "../../protocol/index.ts";
import {
  communityScope,
  requireInScope,
  requirePermission,
  requireResponder,
  type Principal,
} from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import type { ResponderRegistry } from "../responders/registry.ts";
import * as repo from "./repository.ts";
import { decideOrder, isOverdue, mayClaim, REMIND_BEFORE_MS, reminderAt, type OrderAction } from "./rules.ts";

export interface ServiceOrderDeps {
  db: SqlDatabase;
  clock: Clock;
  notifier: Pick<Notifier, "orderChanged" | "orderReminder">;
  registry: ResponderRegistry;
}

const OPEN_STATUSES: readonly ServiceOrderStatus[] = [
  "queued",
  "published",
  "assigned",
  "confirmed",
  "in_progress",
];
const MINE_STATUSES: readonly ServiceOrderStatus[] = ["assigned", "confirmed", "in_progress"];

export class ServiceOrderService {
  constructor(private readonly deps: ServiceOrderDeps) {}

  /**
   * Places an order in the resident's community queue (居民点单). Staff place it for the resident;
   * the hotline intake passes `origin: "hotline"` and the case of the call.
   */
  async orderService(
    actor: Principal,
    input: ServiceOrderInput,
    from: { origin: OrderOrigin; caseId: number | null } = { origin: "staff", caseId: null },
  ): Promise<ServiceOrder> {
    requirePermission(actor, "order.manage");
    const home = await repo.residentHome(this.deps.db, input.residentId);
    if (!home || home.retiredAt !== null)
      throw new DomainError("not_found", `resident ${input.residentId} not found`);
    requireInScope(actor, home.communityId, `resident ${input.residentId}`);
    const now = this.deps.clock.now();
    const windowTo = Date.parse(input.window.to);
    if (windowTo <= now) throw new DomainError("bad_request", "the window has already ended");
    const id = await this.deps.db.write((tx) =>
      repo.insertOrder(tx, {
        residentId: input.residentId,
        communityId: home.communityId,
        service: input.service,
        windowFrom: Date.parse(input.window.from),
        windowTo,
        notes: input.notes,
        origin: from.origin,
        caseId: from.caseId,
        createdById: actor.id,
        at: now,
      }),
    );
    return this.announce(id, []);
  }

  async list(user: Principal, query: ServiceOrderListQuery): Promise<ServiceOrder[]> {
    requirePermission(user, "case.read");
    let scope = communityScope(user);
    if (query.communityId !== undefined) {
      requireInScope(user, query.communityId, `community ${query.communityId}`);
      scope = [query.communityId];
    }
    const statuses = query.status === "open" ? OPEN_STATUSES : [query.status];
    const rows = await repo.listOrders(this.deps.db, { statuses, scope, limit: query.limit });
    return rows.map((r) => this.toDto(r));
  }

  async get(user: Principal, id: number): Promise<ServiceOrder> {
    requirePermission(user, "case.read");
    return this.toDto(await this.readable(user, id));
  }

  async assign(user: Principal, id: number, responderId: number): Promise<ServiceOrder> {
    requirePermission(user, "order.manage");
    const order = await this.readable(user, id);
    const responder = await this.deps.registry.find(responderId);
    if (!responder) throw new DomainError("not_found", `responder ${responderId} not found`);
    requireInScope(user, responder.communityId, `responder ${responderId}`);
    return this.step(order, { type: "assign", responderId });
  }

  async publish(user: Principal, id: number): Promise<ServiceOrder> {
    requirePermission(user, "order.manage");
    return this.step(await this.readable(user, id), { type: "publish" });
  }

  async cancel(user: Principal, id: number, reason: string): Promise<ServiceOrder> {
    requirePermission(user, "order.manage");
    return this.step(await this.readable(user, id), { type: "cancel" }, { cancelReason: reason });
  }

  // ---- the responder's phone ----

  async responderOrders(user: Principal): Promise<ResponderOrders> {
    const responderId = requireResponder(user);
    const me = await this.deps.registry.find(responderId);
    if (!me) throw new DomainError("not_found", "responder not found");
    const [published, mine] = await Promise.all([
      repo.publishedIn(this.deps.db, me.communityId),
      repo.ordersOf(this.deps.db, responderId, MINE_STATUSES),
    ]);
    return {
      claimable: published.filter((o) => mayClaim(o, me)).map((o) => this.toDto(o)),
      mine: mine.map((o) => this.toDto(o)),
    };
  }

  async claim(user: Principal, id: number): Promise<ServiceOrder> {
    const responderId = requireResponder(user);
    const me = await this.deps.registry.find(responderId);
    const order = await repo.findOrder(this.deps.db, id);
    if (!me || !order) throw new DomainError("not_found", `order ${id} not found`);
    if (order.status === "published" && !mayClaim(order, me)) {
      throw new DomainError("forbidden", "this order is for volunteers of its community with that skill");
    }
    return this.step(order, { type: "claim", responderId });
  }

  async confirm(user: Principal, id: number): Promise<ServiceOrder> {
    const responderId = requireResponder(user);
    return this.step(await this.held(responderId, id), { type: "confirm", responderId });
  }

  async start(user: Principal, id: number): Promise<ServiceOrder> {
    const responderId = requireResponder(user);
    return this.step(await this.held(responderId, id), { type: "start", responderId });
  }

  async release(user: Principal, id: number): Promise<ServiceOrder> {
    const responderId = requireResponder(user);
    return this.step(await this.held(responderId, id), { type: "release", responderId });
  }

  /** The responder finishes the visit; staff may record it on their behalf. */
  async done(user: Principal, id: number, body: OrderDoneRequest): Promise<ServiceOrder> {
    let order: repo.OrderRow;
    let by: number | null = null;
    if (user.role === "responder") {
      by = requireResponder(user);
      order = await this.held(by, id);
    } else {
      requirePermission(user, "order.manage");
      order = await this.readable(user, id);
    }
    return this.step(order, { type: "done", by }, { minutes: body.minutes, report: body.report });
  }

  /** Reminds each responder whose order's window opens within the hour, once. */
  async sweep(): Promise<number> {
    const now = this.deps.clock.now();
    const due = (await repo.dueForReminder(this.deps.db, REMIND_BEFORE_MS, now)).filter((o) => {
      const at = reminderAt(o);
      return at !== null && at <= now;
    });
    if (due.length === 0) return 0;
    await this.deps.db.write(async (tx) => {
      for (const o of due) await repo.markReminded(tx, o.id, now);
    });
    for (const o of due) this.deps.notifier.orderReminder(o.responderId!, this.toDto(o));
    return due.length;
  }

  // ---- steps ----

  private async step(
    order: repo.OrderRow,
    action: OrderAction,
    extra: { minutes?: number; report?: string; cancelReason?: string } = {},
  ): Promise<ServiceOrder> {
    const decision = decideOrder(order, action);
    if (!decision.ok) throw new DomainError("illegal_transition", decision.reason);
    const { next } = decision;
    const now = this.deps.clock.now();
    await this.deps.db.write(async (tx) => {
      const moved = await repo.moveOrder(tx, order.id, order, { ...next, at: now, ...extra });
      if (!moved) throw new DomainError("conflict", "the order changed meanwhile; look again");
      if (next.status === "done" && next.responderId !== null) {
        await repo.logServiceDone(tx, {
          orderId: order.id,
          residentId: order.residentId,
          responderId: next.responderId,
          at: now,
          content: extra.report ?? "",
          minutes: extra.minutes ?? 0,
        });
      }
    });
    // Who else must hear: the one who had it, and, when published, everyone who may claim it.
    const others =
      order.responderId !== null && order.responderId !== next.responderId ? [order.responderId] : [];
    if (next.status === "published") others.push(...this.claimers(order));
    return this.announce(order.id, others);
  }

  private claimers(order: repo.OrderRow): number[] {
    return this.deps.registry
      .all()
      .filter((r) => mayClaim({ ...order, status: "published" }, r))
      .map((r) => r.id);
  }

  private async announce(id: number, others: readonly number[]): Promise<ServiceOrder> {
    const dto = this.toDto((await repo.findOrder(this.deps.db, id))!);
    this.deps.notifier.orderChanged(dto, others);
    return dto;
  }

  private async readable(user: Principal, id: number): Promise<repo.OrderRow> {
    const order = await repo.findOrder(this.deps.db, id);
    if (!order) throw new DomainError("not_found", `order ${id} not found`);
    requireInScope(user, order.communityId, `order ${id}`);
    return order;
  }

  private async held(responderId: number, id: number): Promise<repo.OrderRow> {
    const order = await repo.findOrder(this.deps.db, id);
    if (!order || order.responderId !== responderId)
      throw new DomainError("not_found", `order ${id} not found`);
    return order;
  }

  private toDto(o: repo.OrderRow): ServiceOrder {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id: o.id,
      residentId: o.residentId,
      residentName: o.residentName,
      residentPhone: o.residentPhone,
      address: o.address,
      communityId: o.communityId,
      communityName: o.communityName,
      service: o.service,
      window: { from: iso(o.windowFrom), to: iso(o.windowTo) },
      notes: o.notes,
      origin: o.origin,
      status: o.status,
      responderId: o.responderId,
      responderName: o.responderName,
      claimed: o.claimed,
      overdue: isOverdue(o, this.deps.clock.now()),
      minutes: o.minutes,
      report: o.report,
      cancelReason: o.cancelReason,
      createdAt: iso(o.createdAt),
      doneAt: o.doneAt === null ? null : iso(o.doneAt),
    };
  }
}

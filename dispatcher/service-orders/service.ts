// Service orders: what residents (through staff, the hotline or the button), staff and responders
// may do with them. The rules of each step are pure (rules.ts); here are access, storage and the
// messages after the commit. `orderService` is how other features (the hotline intake) place one.
import {
  DEFAULT_REQUEST_SERVICE,
  PLATFORM_TIME_ZONE,
  type OrderDoneRequest,
  type OrderOrigin,
  type ResponderOrders,
  type ServiceOrder,
  type ServiceOrderInput,
  type ServiceOrderListQuery,
  type ServiceOrderStatus,
  type RequestOrigin,
  type ServiceKind,
} from "../../protocol/index.ts";
import {
  communityScope,
  requireInScope,
  requirePermission,
  requireResponder,
  type Principal,
} from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase, Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import type { ResponderRegistry } from "../responders/registry.ts";
import { toOrderDto } from "./dto.ts";
import * as repo from "./repository.ts";
import {
  decideOrder,
  mayClaim,
  OPEN_ORDER_STATUSES,
  REMIND_BEFORE_MS,
  reminderAt,
  requestWindow,
  type OrderAction,
} from "./rules.ts";

export interface ServiceOrderDeps {
  db: SqlDatabase;
  clock: Clock;
  notifier: Pick<Notifier, "orderChanged" | "orderReminder">;
  registry: ResponderRegistry;
  /** The platform's zone: where "today" of a request's default window ends. */
  timeZone?: string;
}

/** A resident's own request for a service, by a press or a call, inside the caller's transaction. */
export interface ServiceRequest {
  residentId: number;
  communityId: number;
  /** null: the button did not say (DEFAULT_REQUEST_SERVICE). */
  service: ServiceKind | null;
  origin: RequestOrigin;
  /** null: as soon as convenient today (rules.ts requestWindow). */
  window: { from: number; to: number } | null;
  notes: string;
  /** The staff member who took the call; null for a press. */
  createdById: number | null;
}

/** What came of a request: a new order, or the open one it joined. */
export interface RequestTaken {
  orderId: number;
  joined: boolean;
}

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

  /**
   * 居民点单 by the button or the hotline: a new order in the community queue (no siren, no offer
   * to anyone; staff assign or publish it), or — while an order the resident asked for that
   * service is still open — one more request on that order, never a second order. Runs in the
   * caller's transaction, so a press is acknowledged only once its order is stored; call
   * `announceRequest` after the commit.
   */
  async takeRequestTx(tx: Tx, r: ServiceRequest): Promise<RequestTaken> {
    const now = this.deps.clock.now();
    if (r.window && r.window.to <= now) throw new DomainError("bad_request", "the window has already ended");
    const service = r.service ?? DEFAULT_REQUEST_SERVICE;
    const open = await repo.openRequestOf(tx, r.residentId, service, OPEN_ORDER_STATUSES);
    if (open) {
      await repo.addRequest(tx, open.id, now, r.notes);
      return { orderId: open.id, joined: true };
    }
    const window = r.window ?? requestWindow(now, this.deps.timeZone ?? PLATFORM_TIME_ZONE);
    const orderId = await repo.insertOrder(tx, {
      residentId: r.residentId,
      communityId: r.communityId,
      service,
      windowFrom: window.from,
      windowTo: window.to,
      notes: r.notes,
      origin: r.origin,
      caseId: null,
      createdById: r.createdById,
      at: now,
    });
    return { orderId, joined: false };
  }

  /**
   * After the commit of a request: the community's staff see the order (new, or asked for
   * again); a responder who already has it is reminded at once that the resident is waiting.
   */
  async announceRequest(taken: RequestTaken): Promise<ServiceOrder> {
    const dto = await this.announce(taken.orderId, []);
    if (taken.joined && dto.responderId !== null && ["assigned", "confirmed"].includes(dto.status)) {
      this.deps.notifier.orderReminder(dto.responderId, dto);
    }
    return dto;
  }

  async list(user: Principal, query: ServiceOrderListQuery): Promise<ServiceOrder[]> {
    requirePermission(user, "case.read");
    let scope = communityScope(user);
    if (query.communityId !== undefined) {
      requireInScope(user, query.communityId, `community ${query.communityId}`);
      scope = [query.communityId];
    }
    const statuses = query.status === "open" ? OPEN_ORDER_STATUSES : [query.status];
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
    return toOrderDto(o, this.deps.clock.now());
  }
}

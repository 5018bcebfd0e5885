// A simulated responder phone (caregiver or volunteer): goes on duty, shares its location,
// accepts offers, travels to the resident at a set speed, reports arrival and resolves the case.
import { EventEmitter } from "node:events";
import { io, type Socket } from "socket.io-client";
import type { z } from "zod";
import {
  PresenceSchema,
  ResponderMeSchema,
  type CaseSummary,
  type Presence,
  type ResponderMe,
} from "../protocol/api.ts";
import { isActiveStatus, type ResponderActivity } from "../protocol/domain.ts";
import { haversineMeters, scatter, stepToward, type LatLng } from "../protocol/geo.ts";
import {
  ServerEventSchemas,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from "../protocol/socket.ts";
import { BAOJI_CENTRE, COMMUNITIES } from "../prisma/demo-data.ts";
import { ApiClient, ApiRequestError } from "./api-client.ts";
import { defaultLogger, type Logger } from "./logger.ts";
import type { LocalPushService } from "./push-receiver.ts";

/** Notes a responder leaves when closing a visit (demo content for the Chinese console). */
const VISIT_NOTES = [
  "已上门查看，老人情况稳定",
  "协助老人起身，无明显外伤",
  "已联系家属，老人情绪平稳",
  "误触按钮，已确认老人安全",
  "送餐到户，老人已用餐",
] as const;

const distance = (a: LatLng, b: LatLng) => haversineMeters(a.lat, a.lng, b.lat, b.lng);

export interface SimResponderOptions {
  apiUrl: string;
  username: string;
  password: string;
  /** Accept offers on its own (default true); false leaves them to expire. */
  autoAccept?: boolean;
  /** Thinking time before accepting an offer; default 3000 ms. */
  acceptDelayMs?: number;
  /** Travel speed; default 5 m/s (an e-bike in town). */
  speedMps?: number;
  /** Time spent with the resident before resolving; default 15 000 ms. */
  stayMs?: number;
  /** Interval of location updates while travelling; default 2000 ms. */
  tickMs?: number;
  /** Interval of location updates while idle, so the location stays fresh; default 60 s. */
  idleLocationSeconds?: number;
  /** Where the phone goes on duty; default near its last known place, else in a demo community. */
  startAt?: LatLng;
  /**
   * The phone's push service: it subscribes there like a browser and takes an offer that arrives
   * by push as a reason to look (the socket may have missed it). Without it, socket only.
   */
  push?: LocalPushService;
  /** Heartbeat while on duty, as the phone app does; default: as often as the platform asks. */
  heartbeatSeconds?: number;
  logger?: Logger;
}

/**
 * Events: "activity" (ResponderActivity, as the platform would name it) on every change,
 * "resolved" (caseId) after a visit. Never emits "error"; failed requests are logged.
 */
export class SimResponder extends EventEmitter {
  readonly username: string;
  activity: ResponderActivity = "off_duty";
  position: LatLng | null = null;
  responderId: number | null = null;
  /** Cases this phone resolved. */
  resolved = 0;
  private readonly opts: SimResponderOptions;
  private readonly api: ApiClient;
  private readonly log: Logger;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private offerId: number | null = null;
  private caseId: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private pushEndpoint: string | null = null;
  private stopPush: (() => void) | null = null;
  /** Pushes this phone received (offers, withdrawals…). */
  pushes = 0;

  constructor(opts: SimResponderOptions) {
    super();
    this.opts = opts;
    this.username = opts.username;
    this.api = new ApiClient(opts.apiUrl);
    this.log = (opts.logger ?? defaultLogger).child({ responder: opts.username });
  }

  async start(): Promise<void> {
    const { user } = await this.api.login(this.opts.username, this.opts.password);
    this.responderId = user.responderId;
    const me = await this.fetchMe();
    this.position = this.opts.startAt ? { ...this.opts.startAt } : this.startingPoint(me);

    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.opts.apiUrl, {
      auth: { token: this.api.bearer },
      transports: ["websocket"],
    });
    this.socket = socket;
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", (err) =>
          reject(new Error(`${this.username}: socket refused: ${err.message}`)),
        );
      });
    } catch (err) {
      socket.disconnect();
      this.socket = null;
      throw err;
    }
    socket.on("offer", (o) => this.onOffer(o));
    socket.on("offer:withdrawn", (w) => this.onWithdrawn(w));
    socket.on("case:updated", (c) => this.onCaseUpdated(c));
    socket.on("connect_error", (err) => this.log.debug({ err: err.message }, "socket reconnect failed"));
    // After a reconnect, refetch the snapshot: offers may have arrived while offline.
    socket.io.on("reconnect", () => void this.resync());

    await this.api.call("POST", "/api/responder/duty", { onDuty: true });
    await this.subscribePush();
    await this.sendLocation();
    const first = await this.heartbeat();
    this.heartbeatTimer = setInterval(
      () => void this.heartbeat(),
      (this.opts.heartbeatSeconds ?? first?.heartbeatSeconds ?? 30) * 1000,
    );
    this.heartbeatTimer.unref();
    this.setActivity("idle");
    this.idleTimer = setInterval(
      () => {
        if (this.activity === "idle") void this.sendLocation();
      },
      (this.opts.idleLocationSeconds ?? 60) * 1000,
    );
    this.idleTimer.unref();
    await this.resync();
  }

  /** Resolves the next time the phone's activity becomes `activity`. */
  becomes(activity: ResponderActivity): Promise<void> {
    return new Promise((resolve) => {
      const listener = (a: ResponderActivity) => {
        if (a !== activity) return;
        this.off("activity", listener);
        resolve();
      };
      this.on("activity", listener);
    });
  }

  async stop(): Promise<void> {
    if (this.activity === "off_duty" && !this.socket) return;
    this.setActivity("off_duty");
    this.clearTimer();
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.stopPush?.();
    this.stopPush = null;
    const endpoint = this.pushEndpoint;
    this.pushEndpoint = null;
    if (endpoint)
      await this.safe("push off", () => this.api.call("DELETE", "/api/responder/push", { endpoint }));
    this.socket?.disconnect();
    this.socket = null;
    await this.safe("off duty", () => this.api.call("POST", "/api/responder/duty", { onDuty: false }));
    await this.safe("logout", () => this.api.call("POST", "/api/auth/logout"));
  }

  /** Tells the platform the phone is alive; a notice (it had lost the phone) is logged. */
  private async heartbeat(): Promise<Presence | null> {
    try {
      const presence = PresenceSchema.parse(await this.api.call("POST", "/api/responder/heartbeat"));
      if (presence.notice) this.log.info({ notice: presence.notice }, "the platform had lost this phone");
      this.emit("heartbeat", presence);
      return presence;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "heartbeat failed");
      return null;
    }
  }

  /** Subscribes like a browser does; a platform that refuses the endpoint leaves the phone on its socket. */
  private async subscribePush(): Promise<void> {
    const push = this.opts.push;
    if (!push) return;
    const sub = push.subscription();
    try {
      await this.api.call("POST", "/api/responder/push", { ...sub, lang: "zh-CN" });
    } catch (err) {
      this.log.warn(
        { err: (err as Error).message },
        "push subscription refused (the platform's PUSH_ENDPOINT_ORIGINS must allow the simulator's push service); socket only",
      );
      return;
    }
    this.pushEndpoint = sub.endpoint;
    this.stopPush = push.onPush(sub.endpoint, (r) => {
      this.pushes += 1;
      this.emit("push", r.message);
      // An offer the socket did not bring (yet): look at what is waiting.
      if (r.message.kind === "offer" && this.offerId === null) void this.resync();
    });
  }

  private startingPoint(me: ResponderMe | null): LatLng {
    const r = me?.responder;
    if (r && r.lat !== null && r.lng !== null) return scatter({ lat: r.lat, lng: r.lng }, 150);
    const community = COMMUNITIES[Math.floor(Math.random() * COMMUNITIES.length)] ?? BAOJI_CENTRE;
    return scatter(community, 800);
  }

  /** A socket payload as its protocol schema reads it; null (and a warning) when it does not. */
  private parse<T>(event: string, schema: z.ZodType<T>, raw: unknown): T | null {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.log.warn({ event, reason: parsed.error.message }, "ignored an unexpected socket payload");
    return null;
  }

  private async fetchMe(): Promise<ResponderMe | null> {
    try {
      const parsed = ResponderMeSchema.safeParse(await this.api.call("GET", "/api/responder/me"));
      if (parsed.success) return parsed.data;
      this.log.warn({ reason: parsed.error.message }, "unexpected /api/responder/me answer");
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "cannot read /api/responder/me");
    }
    return null;
  }

  /** Picks up where a previous run (or a lost connection) left off. */
  private resume(me: ResponderMe | null): void {
    if (!me || this.activity !== "idle") return;
    if (me.activeCase && isActiveStatus(me.activeCase.status)) {
      this.startJob(me.activeCase);
      return;
    }
    const offer = me.offers[0];
    if (offer) this.onOffer(offer);
  }

  private async resync(): Promise<void> {
    if (this.activity !== "idle") return;
    this.resume(await this.fetchMe());
  }

  private onOffer(raw: unknown): void {
    const offer = this.parse("offer", ServerEventSchemas.offer, raw);
    if (!offer || this.activity === "off_duty") return;
    if (this.activity !== "idle") {
      void this.safe("decline", () => this.api.call("POST", `/api/offers/${offer.id}/decline`));
      return;
    }
    if (this.opts.autoAccept === false) return; // leave it to the countdown
    this.offerId = offer.id;
    this.setActivity("offered");
    this.timer = setTimeout(() => void this.accept(offer.id, offer.case), this.opts.acceptDelayMs ?? 3000);
  }

  private onWithdrawn(raw: unknown): void {
    const withdrawn = this.parse("offer:withdrawn", ServerEventSchemas["offer:withdrawn"], raw);
    if (!withdrawn || withdrawn.offerId !== this.offerId) return;
    this.clearTimer();
    this.offerId = null;
    this.setActivity("idle");
  }

  private onCaseUpdated(raw: unknown): void {
    const c = this.parse("case:updated", ServerEventSchemas["case:updated"], raw);
    if (!c || c.id !== this.caseId) return;
    const reassigned =
      c.responderId !== null && this.responderId !== null && c.responderId !== this.responderId;
    if (!isActiveStatus(c.status) || reassigned) {
      this.log.info({ caseId: c.id, status: c.status }, "case ended or reassigned; back to idle");
      this.finishJob();
    }
  }

  private async accept(offerId: number, c: CaseSummary): Promise<void> {
    this.timer = null;
    if (this.offerId !== offerId || this.activity !== "offered") return;
    this.offerId = null;
    try {
      await this.api.call("POST", `/api/offers/${offerId}/accept`);
    } catch (err) {
      const closed = err instanceof ApiRequestError && err.status === 409;
      this.log[closed ? "info" : "warn"]({ offerId, err: (err as Error).message }, "accept failed");
      if (this.activity === "offered") this.setActivity("idle");
      return;
    }
    this.startJob(c);
  }

  private startJob(c: CaseSummary): void {
    if (this.activity === "off_duty") return;
    this.caseId = c.id;
    if (c.status === "on_scene") {
      void this.arrive(c.id, false);
      return;
    }
    this.setActivity("en_route");
    void this.travel(c);
  }

  /** Reports en route, then moves toward the resident one location update at a time. */
  private async travel(c: CaseSummary): Promise<void> {
    const target = { lat: c.lat, lng: c.lng };
    const tickMs = this.opts.tickMs ?? 2000;
    const step = (this.opts.speedMps ?? 5) * (tickMs / 1000);
    const still = () => this.caseId === c.id && this.activity === "en_route";
    if (c.status !== "en_route")
      await this.safe("en-route", () => this.api.call("POST", `/api/cases/${c.id}/en-route`));
    const tick = async (): Promise<void> => {
      this.timer = null;
      if (!still() || !this.position) return;
      this.position = stepToward(this.position, target, step);
      await this.sendLocation();
      if (!still()) return;
      if (distance(this.position, target) < 1) await this.arrive(c.id, true);
      else this.timer = setTimeout(() => void tick(), tickMs);
    };
    if (still()) this.timer = setTimeout(() => void tick(), tickMs);
  }

  private async arrive(caseId: number, report: boolean): Promise<void> {
    this.setActivity("on_scene");
    if (report) await this.safe("arrived", () => this.api.call("POST", `/api/cases/${caseId}/arrived`));
    if (this.caseId !== caseId || this.activity !== "on_scene") return;
    this.timer = setTimeout(() => void this.resolve(caseId), this.opts.stayMs ?? 15_000);
  }

  private async resolve(caseId: number): Promise<void> {
    this.timer = null;
    if (this.caseId !== caseId || this.activity !== "on_scene") return;
    const note = VISIT_NOTES[Math.floor(Math.random() * VISIT_NOTES.length)] ?? VISIT_NOTES[0];
    const ok = await this.safe("resolve", () =>
      this.api.call("POST", `/api/cases/${caseId}/resolve`, { note }),
    );
    if (ok) {
      this.resolved += 1;
      this.emit("resolved", caseId);
    }
    if (this.caseId === caseId) this.finishJob();
  }

  private finishJob(): void {
    this.clearTimer();
    this.caseId = null;
    this.offerId = null;
    if (this.activity !== "off_duty") this.setActivity("idle");
  }

  private async sendLocation(): Promise<void> {
    const p = this.position;
    if (!p) return;
    await this.safe("location", () =>
      this.api.call("POST", "/api/responder/location", { lat: p.lat, lng: p.lng, accuracy: 10 }),
    );
  }

  private async safe(what: string, fn: () => Promise<unknown>): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (err) {
      this.log.warn({ caseId: this.caseId, err: (err as Error).message }, `${what} failed`);
      return false;
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private setActivity(next: ResponderActivity): void {
    if (this.activity === next) return;
    this.activity = next;
    this.emit("activity", next);
  }
}

// REST client: bearer token from the session, typed errors, responses checked against the
// protocol schemas where that is cheap (big lists such as 10,000 responders are trusted).
import { z } from "zod";
import {
  ApiErrorSchema,
  CaseDetailSchema,
  CaseHistoryPageSchema,
  CaseSummarySchema,
  DevicePageSchema,
  SupervisionProfileSchema,
  KpiSchema,
  LoginResponseSchema,
  MyJobsSchema,
  PresenceSchema,
  PushKeySchema,
  MapAreasSchema,
  PlatformInfoSchema,
  ResponderMeSchema,
  ResponderSummarySchema,
  StaffAlertSchema,
  UserSchema,
  type CaseDetail,
  type CaseHistoryPage,
  type CaseHistoryQuery,
  type CaseSummary,
  type DeviceListQuery,
  type DevicePage,
  type ErrorCode,
  type ErrorDetails,
  type FollowUpRequest,
  type Kpi,
  type LoginResponse,
  type CallRequest,
  type MyJobs,
  type Presence,
  type PushKey,
  type PushSubscriptionRequest,
  type MapAreas,
  type PlatformInfo,
  type ResponderMe,
  type ResponderSummary,
  type StaffAlert,
  type User,
  type SupervisionProfile,
  type SupervisionProfileInput,
} from "../../protocol/api.ts";
import type { DeviceKind, EscalationTarget, UiLanguage } from "../../protocol/domain.ts";
import { session } from "./session.ts";

/**
 * Codes the client gives itself: a 401 on the login form (the credentials, not an expired
 * session), and an answer that does not match its schema.
 */
export const CLIENT_ERROR_CODES = ["bad_credentials", "bad_response"] as const;
/** An error without a readable body (a proxy's error page): only the HTTP status is known. */
type HttpStatusCode = `http_${number}`;
export type ApiErrorCode = ErrorCode | (typeof CLIENT_ERROR_CODES)[number] | HttpStatusCode;

/** The server answered with an error body `{error: {code, message}}` (or something unexpected). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** The server's typed facts, for a sentence in the UI language. */
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The request never got an answer (server down, network gone). */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkError";
  }
}

let onUnauthorized: () => void = () => undefined;
/** Called on every 401 from an authenticated request: the app clears the session and shows the login. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

interface RequestOptions<T> {
  body?: unknown;
  schema?: z.ZodType<T>;
  /** Login itself must not bounce to the login page on 401. */
  anonymous?: boolean;
  /** Sent as Idempotency-Key: the server carries the request out once, however often it is sent. */
  idempotencyKey?: string;
}

/** A request with the session's token; a Blob body is sent as it is (a sheet to import). */
export async function send(
  method: string,
  path: string,
  body: unknown,
  anonymous: boolean,
  idempotencyKey?: string,
): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = session.token();
  if (token && !anonymous) headers.Authorization = `Bearer ${token}`;
  const raw = body instanceof Blob;
  if (body !== undefined)
    headers["Content-Type"] = raw ? body.type || "application/octet-stream" : "application/json";
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new NetworkError(err instanceof Error ? err.message : String(err));
  }
  if (res.ok) return res;
  let code: ApiErrorCode = `http_${res.status}`;
  let message = res.statusText || code;
  let details: ErrorDetails = {};
  try {
    const parsed = ApiErrorSchema.safeParse(await res.json());
    if (parsed.success) ({ code, message, details = {} } = parsed.data.error);
  } catch {
    // Not JSON (a proxy error page): keep the HTTP status.
  }
  if (res.status === 401 && !anonymous) onUnauthorized();
  throw new ApiError(res.status, code, message, details);
}

export async function request<T>(method: string, path: string, opts: RequestOptions<T> = {}): Promise<T> {
  const res = await send(method, path, opts.body, opts.anonymous ?? false, opts.idempotencyKey);
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json();
  if (!opts.schema) return data as T;
  const parsed = opts.schema.safeParse(data);
  if (!parsed.success) {
    throw new ApiError(res.status, "bad_response", `${method} ${path}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export const qs = (params: Record<string, string | number | undefined>): string => {
  const entries = Object.entries(params)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== "")
    .map(([k, v]) => [k, String(v)]);
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : "";
};

const caseAction = (id: number, action: string, body?: unknown, idempotencyKey?: string) =>
  request(`POST`, `/api/cases/${id}/${action}`, {
    body: body ?? {},
    schema: CaseSummarySchema,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

export type PushApp = "responder" | "family";

export const api = {
  login: (username: string, password: string): Promise<LoginResponse> =>
    request("POST", "/api/auth/login", {
      body: { username, password },
      schema: LoginResponseSchema,
      anonymous: true,
    }),
  logout: (): Promise<void> => request("POST", "/api/auth/logout"),
  me: (): Promise<User> => request("GET", "/api/auth/me", { schema: UserSchema }),

  cases: (): Promise<CaseSummary[]> => request("GET", "/api/cases", { schema: z.array(CaseSummarySchema) }),
  caseDetail: (id: number): Promise<CaseDetail> =>
    request("GET", `/api/cases/${id}`, { schema: CaseDetailSchema }),
  ack: (id: number) => caseAction(id, "ack"),
  assign: (id: number, responderId: number) => caseAction(id, "assign", { responderId }),
  escalate: (id: number, target: EscalationTarget, note?: string) =>
    caseAction(id, "escalate", note ? { target, note } : { target }),
  note: (id: number, text: string) => caseAction(id, "notes", { text }),
  cancel: (id: number, reason: string) => caseAction(id, "cancel", { reason }),
  enRoute: (id: number, key?: string) => caseAction(id, "en-route", {}, key),
  arrived: (id: number, key?: string) => caseAction(id, "arrived", {}, key),
  resolve: (id: number, note: string, key?: string) => caseAction(id, "resolve", { note }, key),
  addNote: (id: number, text: string, key?: string) => caseAction(id, "notes", { text }, key),
  logCall: (id: number, call: CallRequest, key?: string) => caseAction(id, "calls", call, key),
  followUp: (id: number, body: FollowUpRequest) => caseAction(id, "follow-up", body),
  skipFollowUp: (id: number, reason: string) => caseAction(id, "skip-follow-up", { reason }),
  history: (q: Partial<CaseHistoryQuery>): Promise<CaseHistoryPage> =>
    request("GET", `/api/cases/history${qs(q)}`, { schema: CaseHistoryPageSchema }),

  alerts: (): Promise<StaffAlert[]> => request("GET", "/api/alerts", { schema: z.array(StaffAlertSchema) }),
  ackAlert: (id: number): Promise<StaffAlert> =>
    request("POST", `/api/alerts/${id}/ack`, { body: {}, schema: StaffAlertSchema }),
  platform: (): Promise<PlatformInfo> => request("GET", "/api/platform", { schema: PlatformInfoSchema }),
  mapAreas: (): Promise<MapAreas> => request("GET", "/api/map/areas", { schema: MapAreasSchema }),

  responders: (): Promise<ResponderSummary[]> => request("GET", "/api/responders"),
  devices: (q: Partial<DeviceListQuery>): Promise<DevicePage> =>
    request("GET", `/api/devices${qs(q)}`, { schema: DevicePageSchema }),
  supervisionProfiles: (): Promise<SupervisionProfile[]> =>
    request("GET", "/api/supervision-profiles", { schema: z.array(SupervisionProfileSchema) }),
  updateSupervisionProfile: (kind: DeviceKind, input: SupervisionProfileInput): Promise<SupervisionProfile> =>
    request("PUT", `/api/supervision-profiles/${kind}`, { body: input, schema: SupervisionProfileSchema }),
  kpis: (from?: string, to?: string): Promise<Kpi> =>
    request("GET", `/api/kpis${qs({ from, to })}`, { schema: KpiSchema }),
  /** The CSV needs the bearer token, so it is fetched and handed to the browser as a blob. */
  kpiCsv: async (lang: UiLanguage, from?: string, to?: string): Promise<{ blob: Blob; filename: string }> => {
    const res = await send("GET", `/api/kpis.csv${qs({ from, to, lang })}`, undefined, false);
    const disposition = res.headers.get("Content-Disposition") ?? "";
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? "cases.csv";
    return { blob: await res.blob(), filename };
  },

  responderMe: (): Promise<ResponderMe> => request("GET", "/api/responder/me", { schema: ResponderMeSchema }),
  duty: (onDuty: boolean): Promise<ResponderSummary> =>
    request("POST", "/api/responder/duty", { body: { onDuty }, schema: ResponderSummarySchema }),
  location: (lat: number, lng: number, accuracy?: number): Promise<void> =>
    request("POST", "/api/responder/location", {
      body: accuracy === undefined ? { lat, lng } : { lat, lng, accuracy: Math.min(10_000, accuracy) },
    }),
  acceptOffer: (id: number, key?: string): Promise<CaseSummary> =>
    request("POST", `/api/offers/${id}/accept`, {
      body: {},
      schema: CaseSummarySchema,
      ...(key ? { idempotencyKey: key } : {}),
    }),
  declineOffer: (id: number, key?: string): Promise<void> =>
    request("POST", `/api/offers/${id}/decline`, { body: {}, ...(key ? { idempotencyKey: key } : {}) }),
  heartbeat: (): Promise<Presence> => request("POST", "/api/responder/heartbeat", { schema: PresenceSchema }),
  askHelp: (caseId: number, note: string | undefined, key?: string): Promise<CaseSummary> =>
    request("POST", `/api/responder/cases/${caseId}/help`, {
      body: note ? { note } : {},
      schema: CaseSummarySchema,
      ...(key ? { idempotencyKey: key } : {}),
    }),
  jobs: (): Promise<MyJobs> => request("GET", "/api/responder/jobs", { schema: MyJobsSchema }),
  /** Web Push for the responder phone or the family view (the same service worker). */
  pushKey: (app: PushApp): Promise<PushKey> => request("GET", `/api/${app}/push`, { schema: PushKeySchema }),
  pushSubscribe: (app: PushApp, sub: PushSubscriptionRequest): Promise<void> =>
    request("POST", `/api/${app}/push`, { body: sub }),
  pushUnsubscribe: (app: PushApp, endpoint: string): Promise<void> =>
    request("DELETE", `/api/${app}/push`, { body: { endpoint } }),
};

// Every HTTP route of the platform, described once for the OpenAPI document: who may call it,
// its parameters, body and answer, all as the zod schemas of protocol/. A test checks that every
// mounted route is here (tests/integration/openapi.test.ts), so a new route cannot go undocumented.
import { z } from "zod";
import {
  AssignRequestSchema,
  AuditPageSchema,
  AuditQuerySchema,
  CallDtoSchema,
  CallRequestSchema,
  CancelRequestSchema,
  CaseDetailSchema,
  CaseListQuerySchema,
  CaseSummarySchema,
  CommunitiesSchema,
  DeviceCreateSchema,
  DeviceListQuerySchema,
  DevicePatchSchema,
  DeviceRecordSchema,
  DeviceSummarySchema,
  DeviceWithSecretSchema,
  DutyRequestSchema,
  FamilyCaseSchema,
  FamilyCircleSchema,
  FamilyCodeRequestSchema,
  FamilyHomeSchema,
  FamilyInviteRequestSchema,
  FamilyInviteResponseSchema,
  FamilyLoginRequestSchema,
  FamilyMemberPatchSchema,
  FamilyMemberSchema,
  OnMyWayRequestSchema,
  SensorSettingsSchema,
  EscalateRequestSchema,
  FollowUpRequestSchema,
  HealthSchema,
  ImportQuerySchema,
  ImportReportSchema,
  ImportTemplateQuerySchema,
  IntakeRequestSchema,
  IntakeResultSchema,
  KpiQuerySchema,
  KpiSchema,
  LocationUpdateSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  NoteRequestSchema,
  PasswordChangeSchema,
  ResidentInputSchema,
  ResidentListQuerySchema,
  ResidentPageSchema,
  ResidentPatchSchema,
  ResidentRecordSchema,
  ResolveRequestSchema,
  ResponderCreateSchema,
  ResponderListQuerySchema,
  ResponderMeSchema,
  ResponderPageSchema,
  ResponderPatchSchema,
  ResponderRecordSchema,
  ResponderSummarySchema,
  UserCreateSchema,
  UserListQuerySchema,
  UserPageSchema,
  UserPatchSchema,
  UserRecordSchema,
  UserSchema,
  type Permission,
} from "../../protocol/index.ts";

export const HTTP_METHODS = ["get", "post", "patch", "put", "delete"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** What an answer is: JSON of a schema, a file, or nothing (204). */
export type Answer = z.ZodType | { file: string } | null;

export interface Operation {
  method: HttpMethod;
  /** As express mounts it: `/api/cases/:id`. */
  path: string;
  tag: string;
  summary: string;
  /** Who may call it: a permission of protocol/roles.ts, "anyone", "any user", or a sentence. */
  who: Permission | "anyone" | "any user" | "the assigned responder" | "the offered responder";
  query?: z.ZodType;
  /** A JSON body, or the bytes of a sheet. */
  body?: z.ZodType | "sheet";
  answer: Answer;
  status?: 200 | 201 | 204;
}

const csv = { file: "text/csv" };
const xlsxOrCsv = { file: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" };
const html = { file: "text/html" };

const op = (
  method: HttpMethod,
  path: string,
  tag: string,
  summary: string,
  who: Operation["who"],
  answer: Answer,
  more: Partial<Operation> = {},
): Operation => ({ method, path, tag, summary, who, answer, ...more });

const caseAction = (action: string, summary: string, who: Operation["who"], body?: z.ZodType) =>
  op("post", `/api/cases/:id/${action}`, "cases", summary, who, CaseSummarySchema, body ? { body } : {});

export const OPERATIONS: Operation[] = [
  op("get", "/healthz", "platform", "Readiness: broker, MQTT link and database", "anyone", HealthSchema),
  op("get", "/api/openapi.json", "platform", "This document", "anyone", { file: "application/json" }),
  op("get", "/api/docs", "platform", "A browsable page of this document (works offline)", "anyone", html),

  op(
    "post",
    "/api/auth/login",
    "auth",
    "Log in; the token goes in `Authorization: Bearer`",
    "anyone",
    LoginResponseSchema,
    {
      body: LoginRequestSchema,
    },
  ),
  op("post", "/api/auth/logout", "auth", "End this session", "any user", null, { status: 204 }),
  op("get", "/api/auth/me", "auth", "Who is logged in, with role and communities", "any user", UserSchema),

  op(
    "get",
    "/api/cases",
    "cases",
    "The queue: open cases (or all in a period) of the caller's communities",
    "case.read",
    z.array(CaseSummarySchema),
    {
      query: CaseListQuerySchema,
    },
  ),
  op(
    "get",
    "/api/cases/:id",
    "cases",
    "A case file: case, resident, timeline, offers, candidates",
    "case.read",
    CaseDetailSchema,
  ),
  op(
    "post",
    "/api/cases",
    "cases",
    "Hotline intake: a call opens a case (201), or joins the resident's open case of that kind (200, joined)",
    "case.dispatch",
    IntakeResultSchema,
    { body: IntakeRequestSchema, status: 201 },
  ),
  caseAction("ack", "Acknowledge the alarm on the console (silences it)", "case.dispatch"),
  caseAction(
    "assign",
    "Assign a responder by hand (overrides pending offers)",
    "case.dispatch",
    AssignRequestSchema,
  ),
  caseAction("escalate", "Escalate to staff, 120 or family", "case.dispatch", EscalateRequestSchema),
  caseAction("notes", "Add a note (staff, or the assigned responder)", "case.dispatch", NoteRequestSchema),
  caseAction("cancel", "Cancel (false alarm)", "case.dispatch", CancelRequestSchema),
  caseAction("en-route", "The responder sets off", "the assigned responder"),
  caseAction("arrived", "The responder is at the door", "the assigned responder"),
  caseAction(
    "resolve",
    "Resolve with a note (the responder, or staff on their behalf)",
    "case.dispatch",
    ResolveRequestSchema,
  ),
  caseAction(
    "follow-up",
    "The follow-up call (回访); closes by default",
    "case.dispatch",
    FollowUpRequestSchema,
  ),
  caseAction("calls", "Log a phone call about the case", "case.dispatch", CallRequestSchema),
  op(
    "get",
    "/api/cases/:id/calls",
    "cases",
    "The case's phone calls, oldest first",
    "case.read",
    z.array(CallDtoSchema),
  ),
  op(
    "post",
    "/api/offers/:id/accept",
    "cases",
    "Accept an offer (409 offer_closed if taken or expired)",
    "the offered responder",
    CaseSummarySchema,
  ),
  op("post", "/api/offers/:id/decline", "cases", "Decline an offer", "the offered responder", null, {
    status: 204,
  }),

  op(
    "get",
    "/api/responders",
    "responders",
    "The live roster of the caller's communities (duty, activity, position)",
    "responder.read",
    z.array(ResponderSummarySchema),
  ),
  op(
    "get",
    "/api/responder/me",
    "responders",
    "The phone's view after a (re)connect",
    "responder.self",
    ResponderMeSchema,
  ),
  op(
    "post",
    "/api/responder/duty",
    "responders",
    "Go on or off duty",
    "responder.self",
    ResponderSummarySchema,
    { body: DutyRequestSchema },
  ),
  op("post", "/api/responder/location", "responders", "Share the phone's position", "responder.self", null, {
    body: LocationUpdateSchema,
    status: 204,
  }),
  op(
    "get",
    "/api/responders/directory",
    "responder register",
    "Search the responder register (paged)",
    "responder.read",
    ResponderPageSchema,
    {
      query: ResponderListQuerySchema,
    },
  ),
  op(
    "get",
    "/api/responders/:id",
    "responder register",
    "A responder's record with login and paired households",
    "responder.read",
    ResponderRecordSchema,
  ),
  op(
    "post",
    "/api/responders",
    "responder register",
    "Enrol a responder (optionally with a phone login)",
    "responder.manage",
    ResponderRecordSchema,
    {
      body: ResponderCreateSchema,
      status: 201,
    },
  ),
  op(
    "patch",
    "/api/responders/:id",
    "responder register",
    "Change a responder (skills, transport, community, pairing)",
    "responder.manage",
    ResponderRecordSchema,
    {
      body: ResponderPatchSchema,
    },
  ),
  op(
    "post",
    "/api/responders/:id/retire",
    "responder register",
    "Retire a responder (not while on a case)",
    "responder.manage",
    ResponderRecordSchema,
  ),

  op(
    "get",
    "/api/devices",
    "devices",
    "Device health of the caller's communities",
    "device.read",
    z.array(DeviceSummarySchema),
    {
      query: DeviceListQuerySchema,
    },
  ),
  op(
    "post",
    "/api/devices",
    "device register",
    "Enrol a device; its secret is in this answer only",
    "device.manage",
    DeviceWithSecretSchema,
    {
      body: DeviceCreateSchema,
      status: 201,
    },
  ),
  op(
    "get",
    "/api/devices/:id",
    "device register",
    "A device's record (never its secret)",
    "device.read",
    DeviceRecordSchema,
  ),
  op(
    "patch",
    "/api/devices/:id",
    "device register",
    "Move a device to another resident, or change its supervision",
    "device.manage",
    DeviceRecordSchema,
    {
      body: DevicePatchSchema,
    },
  ),
  op(
    "post",
    "/api/devices/:id/secret",
    "device register",
    "A new secret; the old one stops at once",
    "device.manage",
    DeviceWithSecretSchema,
  ),
  op(
    "post",
    "/api/devices/:id/retire",
    "device register",
    "Retire a device; it is refused at once",
    "device.manage",
    DeviceRecordSchema,
  ),

  op(
    "get",
    "/api/communities",
    "resident register",
    "Communities and grids of the caller's scope, and the service area",
    "resident.read",
    CommunitiesSchema,
  ),
  op(
    "get",
    "/api/residents",
    "resident register",
    "Search residents by name, phone, address, device id, contacts' phones (paged)",
    "resident.read",
    ResidentPageSchema,
    {
      query: ResidentListQuerySchema,
    },
  ),
  op(
    "get",
    "/api/residents/:id",
    "resident register",
    "A resident's record with devices",
    "resident.read",
    ResidentRecordSchema,
  ),
  op(
    "post",
    "/api/residents",
    "resident register",
    "Enrol a resident",
    "resident.enrol",
    ResidentRecordSchema,
    {
      body: ResidentInputSchema,
      status: 201,
    },
  ),
  op(
    "patch",
    "/api/residents/:id",
    "resident register",
    "Change a resident: identity (resident.enrol), care facts (resident.care), pairing (resident.pairing)",
    "resident.read",
    ResidentRecordSchema,
    {
      body: ResidentPatchSchema,
    },
  ),
  op(
    "post",
    "/api/residents/:id/retire",
    "resident register",
    "Retire a resident and their devices; history stays",
    "resident.enrol",
    ResidentRecordSchema,
  ),

  op("get", "/api/import/residents/template", "import", "The import template", "resident.enrol", xlsxOrCsv, {
    query: ImportTemplateQuerySchema,
  }),
  op(
    "post",
    "/api/import/residents",
    "import",
    "Dry run or commit a CSV/XLSX sheet of residents with devices (all or nothing)",
    "resident.enrol",
    ImportReportSchema,
    {
      query: ImportQuerySchema,
      body: "sheet",
    },
  ),

  op("get", "/api/users", "users", "Search accounts (paged)", "user.manage", UserPageSchema, {
    query: UserListQuerySchema,
  }),
  op(
    "get",
    "/api/users/:id",
    "users",
    "An account (a user may read their own)",
    "user.manage",
    UserRecordSchema,
  ),
  op("post", "/api/users", "users", "Create a staff account", "user.manage", UserRecordSchema, {
    body: UserCreateSchema,
    status: 201,
  }),
  op(
    "patch",
    "/api/users/:id",
    "users",
    "Change role, communities or disable an account",
    "user.manage",
    UserRecordSchema,
    { body: UserPatchSchema },
  ),
  op(
    "post",
    "/api/users/:id/password",
    "users",
    "Reset a password (admin) or change one's own (with the old one)",
    "any user",
    null,
    {
      body: PasswordChangeSchema,
      status: 204,
    },
  ),

  op(
    "get",
    "/api/audit",
    "audit",
    "A record's change history (the whole log: user.manage)",
    "audit.read",
    AuditPageSchema,
    { query: AuditQuerySchema },
  ),

  op(
    "get",
    "/api/kpis",
    "reports",
    "Response-time KPIs of a period (default: today, Asia/Shanghai)",
    "report.read",
    KpiSchema,
    { query: KpiQuerySchema },
  ),
  op("get", "/api/kpis.csv", "reports", "The period's cases as CSV", "report.read", csv, {
    query: KpiQuerySchema,
  }),

  op(
    "get",
    "/api/residents/:id/sensors",
    "sensors",
    "The resident's sensor rules: inactivity windows by day and night, door watch hours",
    "resident.read",
    SensorSettingsSchema,
  ),
  op(
    "put",
    "/api/residents/:id/sensors",
    "sensors",
    "Set the resident's sensor rules (audited)",
    "resident.care",
    SensorSettingsSchema,
    { body: SensorSettingsSchema },
  ),

  op(
    "get",
    "/api/residents/:id/family",
    "family",
    "The resident's emergency contacts and who of them is in the family circle",
    "family.manage",
    FamilyCircleSchema,
  ),
  op(
    "post",
    "/api/residents/:id/family/invites",
    "family",
    "Invite an emergency contact: a one-time code (shown once; by SMS where configured)",
    "family.manage",
    FamilyInviteResponseSchema,
    { body: FamilyInviteRequestSchema, status: 201 },
  ),
  op(
    "patch",
    "/api/family/members/:id",
    "family",
    "What a member is told, the resident's consent to health details, or remove them (audited)",
    "family.manage",
    FamilyMemberSchema,
    { body: FamilyMemberPatchSchema },
  ),
  op("post", "/api/family/code", "family", "Send a sign-in code by SMS to an invited phone", "anyone", null, {
    body: FamilyCodeRequestSchema,
    status: 204,
  }),
  op(
    "post",
    "/api/family/login",
    "family",
    "Phone + one-time code → a session",
    "anyone",
    LoginResponseSchema,
    {
      body: FamilyLoginRequestSchema,
    },
  ),
  op(
    "get",
    "/api/family/home",
    "family",
    "My elders, their open case and (with consent) health details",
    "family.self",
    FamilyHomeSchema,
  ),
  op(
    "get",
    "/api/family/residents/:id/cases",
    "family",
    "My elder's cases, newest first",
    "family.self",
    z.array(FamilyCaseSchema),
  ),
  op("get", "/api/family/cases/:id", "family", "One of my elder's cases", "family.self", FamilyCaseSchema),
  op(
    "post",
    "/api/family/cases/:id/on-my-way",
    "family",
    "\"I'm on my way\": on the case's timeline for staff and the responder",
    "family.self",
    FamilyCaseSchema,
    { body: OnMyWayRequestSchema },
  ),
];

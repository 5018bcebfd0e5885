// The platform's shared vocabulary, defined once: every other folder (dispatcher, console,
// device-sim, tests, SQL in repositories) imports these words instead of spelling them out.
// This file imports nothing of ours; the wire files (mqtt, REST, socket) import it.
import { z } from "zod";

// ---- cases ----

export const CASE_STATUSES = [
  "new",
  "offered",
  "accepted",
  "en_route",
  "on_scene",
  "resolved",
  "closed",
  "cancelled",
] as const;
export const CaseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** Nobody has taken the case yet: matching may still offer it. */
export const WAITING_CASE_STATUSES = ["new", "offered"] as const satisfies readonly CaseStatus[];
/** A responder has the case: accepted, on the way or at the door. */
export const ASSIGNED_CASE_STATUSES = [
  "accepted",
  "en_route",
  "on_scene",
] as const satisfies readonly CaseStatus[];
/** Someone still has to act in person; a new press joins such a case instead of opening another. */
export const ACTIVE_CASE_STATUSES = [
  ...WAITING_CASE_STATUSES,
  ...ASSIGNED_CASE_STATUSES,
] as const satisfies readonly CaseStatus[];
/** Nobody is at the door yet: the arrival clock runs, and staff may still (re)assign the case. */
export const AWAITING_ARRIVAL_CASE_STATUSES = [
  ...WAITING_CASE_STATUSES,
  "accepted",
  "en_route",
] as const satisfies readonly CaseStatus[];
/** Shown in the queue until closed: a cancelled or resolved case still needs its follow-up call (回访). */
export const OPEN_CASE_STATUSES = [
  ...ACTIVE_CASE_STATUSES,
  "resolved",
  "cancelled",
] as const satisfies readonly CaseStatus[];
/** Help is done (or was not needed); the case waits for its follow-up call. */
export const FOLLOW_UP_CASE_STATUSES = ["resolved", "cancelled"] as const satisfies readonly CaseStatus[];

export type WaitingCaseStatus = (typeof WAITING_CASE_STATUSES)[number];
export type AssignedCaseStatus = (typeof ASSIGNED_CASE_STATUSES)[number];
export type ActiveCaseStatus = (typeof ACTIVE_CASE_STATUSES)[number];
export type OpenCaseStatus = (typeof OPEN_CASE_STATUSES)[number];

const isIn =
  <S extends CaseStatus>(group: readonly S[]) =>
  (status: CaseStatus): status is S =>
    (group as readonly CaseStatus[]).includes(status);
export const isWaitingStatus = isIn(WAITING_CASE_STATUSES);
export const isAssignedStatus = isIn(ASSIGNED_CASE_STATUSES);
export const isActiveStatus = isIn(ACTIVE_CASE_STATUSES);
export const isAwaitingArrivalStatus = isIn(AWAITING_ARRIVAL_CASE_STATUSES);
export const isOpenStatus = isIn(OPEN_CASE_STATUSES);
export const isFollowUpStatus = isIn(FOLLOW_UP_CASE_STATUSES);

/** `'a','b'` for an SQL `IN (…)` list; the values are our own constants, never user input. */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",");
}

/**
 * emergency: sos, fall, medical, welfare check (someone goes at once); service: meals, bathing…;
 * technical: device health for staff; enquiry: a question or complaint answered at the desk
 * (logged, never dispatched).
 */
export const CASE_KINDS = ["emergency", "service", "technical", "enquiry"] as const;
export const CaseKindSchema = z.enum(CASE_KINDS);
export type CaseKind = z.infer<typeof CaseKindSchema>;

/** Matching, offers and the escalation clock run for these kinds; the others are staff's own work. */
export function isDispatchable(kind: CaseKind): boolean {
  return kind === "emergency" || kind === "service";
}

export const CASE_TYPES = [
  "sos",
  "fall",
  "service_request",
  "low_battery",
  "device_offline",
  "no_activity",
  /** Hotline: the caller reports an illness (chest pain, breathing, high fever…). */
  "medical",
  /** Hotline: nobody has seen or reached the resident; someone goes to look (上门探视). */
  "welfare_check",
  /** Hotline: a question (services, opening hours, the platform) answered at the desk. */
  "enquiry",
  /** Hotline: a complaint about a service or a responder; answered, then followed up. */
  "complaint",
  /** Home sensors: alarms the resident cannot press (docs/protocol.md, "Home sensors"). */
  "smoke",
  "gas",
  "water_leak",
  /** A resident with dementia opened the door at an hour staff set as unusual. */
  "door_alert",
  /** Supervision: no test press for a week (buttons are checked weekly). */
  "test_overdue",
  /** Supervision: enrolled hours ago and never seen (not installed, wrong secret, no signal). */
  "never_connected",
  /** Supervision: still offline long after its window: a technician brings a replacement. */
  "device_replacement",
] as const;
export const CaseTypeSchema = z.enum(CASE_TYPES);
export type CaseType = z.infer<typeof CaseTypeSchema>;

/** The kind of each type: what a second press or call joins, and whether anyone is sent. */
export const CASE_KIND_OF: Readonly<Record<CaseType, CaseKind>> = {
  sos: "emergency",
  fall: "emergency",
  medical: "emergency",
  welfare_check: "emergency",
  service_request: "service",
  enquiry: "enquiry",
  complaint: "enquiry",
  low_battery: "technical",
  device_offline: "technical",
  no_activity: "technical",
  smoke: "emergency",
  gas: "emergency",
  water_leak: "emergency",
  door_alert: "emergency",
  test_overdue: "technical",
  never_connected: "technical",
  device_replacement: "technical",
};

/**
 * How urgent a new case of each type is (1 = most): a fall first (the resident may be unable to
 * get up) with smoke and gas, an illness phoned in ranks with a button press, a welfare check
 * waits behind both.
 */
export const DEFAULT_PRIORITY: Readonly<Record<CaseType, 1 | 2 | 3 | 4>> = {
  fall: 1,
  sos: 2,
  medical: 2,
  welfare_check: 3,
  service_request: 3,
  enquiry: 4,
  complaint: 4,
  low_battery: 4,
  device_offline: 4,
  no_activity: 4,
  // Smoke and gas put lives beyond the resident's at risk; a wandering resident is an sos.
  smoke: 1,
  gas: 1,
  door_alert: 2,
  water_leak: 3,
  test_overdue: 4,
  never_connected: 4,
  // The resident has no working button until the new one is there.
  device_replacement: 3,
};

/** What a hotline call may open (device problems are opened by the platform itself). */
export const INTAKE_CASE_TYPES = [
  "sos",
  "fall",
  "medical",
  "welfare_check",
  "service_request",
  "enquiry",
  "complaint",
] as const satisfies readonly CaseType[];
export const IntakeCaseTypeSchema = z.enum(INTAKE_CASE_TYPES);
export type IntakeCaseType = z.infer<typeof IntakeCaseTypeSchema>;

/** Who rings the hotline about a resident. */
export const CALLER_RELATIONS = ["resident", "neighbour", "relative", "grid_worker", "other"] as const;
export const CallerRelationSchema = z.enum(CALLER_RELATIONS);
export type CallerRelation = z.infer<typeof CallerRelationSchema>;

/** Device problems staff look at (apart from emergencies). */
/** Smoke and gas: the most urgent of all, with their own guidance (call 119 / the gas company). */
export const HAZARD_CASE_TYPES = ["smoke", "gas", "water_leak"] as const satisfies readonly CaseType[];
export type HazardCaseType = (typeof HAZARD_CASE_TYPES)[number];

export const TECHNICAL_CASE_TYPES = [
  "low_battery",
  "device_offline",
  "no_activity",
  "test_overdue",
  "never_connected",
  "device_replacement",
] as const satisfies readonly CaseType[];
export type TechnicalCaseType = (typeof TECHNICAL_CASE_TYPES)[number];

/**
 * The service promise for emergencies: a responder accepts within a minute and is at the door
 * within 15 minutes of the press. The console's SLA clocks turn red there; the KPIs count against it.
 */
export const RESPONSE_TARGET_SECONDS = { accept: 60, onScene: 15 * 60 } as const;

/** 1 = most urgent. */
export const PRIORITIES = [1, 2, 3, 4] as const;
export const PrioritySchema = z.literal(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/** Every step of a case is one CaseEvent row of one of these types; timeline and KPIs derive from them. */
export const CASE_EVENT_TYPES = [
  "created",
  "press_joined",
  "offered",
  "accepted",
  "declined",
  "offer_expired",
  "offer_withdrawn",
  "no_candidate",
  "assigned",
  "reassigned",
  "en_route",
  "arrived",
  "resolved",
  "cancelled",
  "closed",
  "escalated",
  "note",
  "follow_up",
  "staff_acknowledged",
  "call",
  /** The responder at the case asks the duty desk for an ambulance (120). */
  "help_requested",
  /** The device's event had a tolerated fault (a battery of 101, a reused eventId…); data.faults. */
  "device_fault",
  /** A family member said "I'm on my way" (data.etaMinutes when they gave one). */
  "family_on_way",
  /** The mobile device sent a newer position fix with a press (data: lat, lng, accuracy, fixAt). */
  "location_updated",
] as const;
export const CaseEventTypeSchema = z.enum(CASE_EVENT_TYPES);
export type CaseEventType = z.infer<typeof CaseEventTypeSchema>;
/** The events that give a case its responder (the accept clock stops here). */
export const TAKEN_EVENT_TYPES = ["accepted", "assigned"] as const satisfies readonly CaseEventType[];

/** Where staff escalate a case to. */
export const ESCALATION_TARGETS = ["staff", "ambulance_120", "family"] as const;
export const EscalationTargetSchema = z.enum(ESCALATION_TARGETS);
export type EscalationTarget = z.infer<typeof EscalationTargetSchema>;
/**
 * Why the engine escalated on its own: nobody fit in range, nobody accepted before the deadline,
 * everyone in range was asked and declined or let the offer run out, or the nearest responder
 * would arrive later than the priority's ETA cap.
 */
export const AUTO_ESCALATION_REASONS = [
  "no_candidate",
  "no_accept",
  "offers_exhausted",
  "eta_over_cap",
] as const;
export type AutoEscalationReason = (typeof AUTO_ESCALATION_REASONS)[number];
/** What an escalation records: a staff target, or the engine's own reason. */
export const ESCALATION_REASONS = [...ESCALATION_TARGETS, ...AUTO_ESCALATION_REASONS] as const;
export const EscalationReasonSchema = z.enum(ESCALATION_REASONS);
export type EscalationReason = z.infer<typeof EscalationReasonSchema>;

/**
 * What a staff alert is about. Each is stored, sounds with its own tone on the console and waits
 * for a person to acknowledge it: the engine's own escalations (AUTO_ESCALATION_REASONS), a
 * responder asking for help at the door, and the call device of a high-risk resident failing.
 */
export const ALERT_KINDS = [...AUTO_ESCALATION_REASONS, "help_requested", "device_fault"] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** 回访 outcomes. */
export const FOLLOW_UP_OUTCOMES = ["reached_ok", "reached_needs_help", "no_answer"] as const;
export const FollowUpOutcomeSchema = z.enum(FOLLOW_UP_OUTCOMES);
export type FollowUpOutcome = z.infer<typeof FollowUpOutcomeSchema>;
/** Only "reached, resident fine" closes the case unless staff choose otherwise. */
export const FOLLOW_UP_CLOSES_BY_DEFAULT: Readonly<Record<FollowUpOutcome, boolean>> = {
  reached_ok: true,
  reached_needs_help: false,
  no_answer: false,
};
/** Who a follow-up call reaches: the resident, or family when the resident cannot talk. */
export const FOLLOW_UP_PARTIES = ["resident", "family"] as const;
export const FollowUpPartySchema = z.enum(FOLLOW_UP_PARTIES);
export type FollowUpParty = z.infer<typeof FollowUpPartySchema>;

/**
 * A follow-up call still to make (回访任务): `retry` after nobody answered; `scheduled` for a call
 * booked ahead (e.g. the day after an emergency). Open until made, skipped with a reason, or
 * dropped because the case was closed another way.
 */
export const FOLLOW_UP_TASK_REASONS = ["retry", "scheduled"] as const;
/** Every resolved emergency gets a follow-up call due this long after it was resolved (the next day). */
export const FOLLOW_UP_AFTER_RESOLVE_MS = 24 * 3_600_000;
export const FollowUpTaskReasonSchema = z.enum(FOLLOW_UP_TASK_REASONS);
export type FollowUpTaskReason = z.infer<typeof FollowUpTaskReasonSchema>;
export const FOLLOW_UP_TASK_STATUSES = ["open", "done", "skipped", "dropped"] as const;
export const FollowUpTaskStatusSchema = z.enum(FOLLOW_UP_TASK_STATUSES);
export type FollowUpTaskStatus = z.infer<typeof FollowUpTaskStatusSchema>;

/** Phone calls about a case (hotline intake, verification, 回访, family, 120). */
export const CALL_DIRECTIONS = ["inbound", "outbound"] as const;
export const CallDirectionSchema = z.enum(CALL_DIRECTIONS);
export type CallDirection = z.infer<typeof CallDirectionSchema>;
export const CALL_PARTIES = [
  "resident",
  "family",
  "key_holder",
  "neighbour",
  "grid_worker",
  "responder",
  "ambulance_120",
  /** The platform's duty desk (值班室), called from a responder's phone. */
  "duty_desk",
  "other",
] as const;
export const CallPartySchema = z.enum(CALL_PARTIES);
export type CallParty = z.infer<typeof CallPartySchema>;
/** The party an inbound hotline call is logged with, by who the caller is. */
export const CALLER_PARTY: Readonly<Record<CallerRelation, CallParty>> = {
  resident: "resident",
  neighbour: "neighbour",
  relative: "family",
  grid_worker: "grid_worker",
  other: "other",
};
export const CALL_OUTCOMES = ["reached", "no_answer", "busy", "wrong_number"] as const;
export const CallOutcomeSchema = z.enum(CALL_OUTCOMES);
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;

// ---- offers ----

export const OFFER_STATUSES = ["pending", "accepted", "declined", "expired", "withdrawn"] as const;
export const OfferStatusSchema = z.enum(OFFER_STATUSES);
export type OfferStatus = z.infer<typeof OfferStatusSchema>;

/**
 * Why an offer was closed for a responder who did not win it: someone else accepted, the time ran
 * out, the responder declined it (their other devices learn it too), the call was cancelled (by
 * the resident or staff), staff resolved the case, staff gave the case to someone else, or
 * (`preempted`) a more urgent case needed this responder, who is offered that one instead.
 */
export const WITHDRAWAL_REASONS = [
  "taken",
  "expired",
  "declined",
  "cancelled",
  "resolved",
  "reassigned",
  "preempted",
] as const;
export const WithdrawalReasonSchema = z.enum(WITHDRAWAL_REASONS);
export type WithdrawalReason = z.infer<typeof WithdrawalReasonSchema>;

// ---- people ----

export const RESPONDER_ROLES = ["caregiver", "volunteer", "grid_worker", "doctor"] as const;
export const ResponderRoleSchema = z.enum(RESPONDER_ROLES);
export type ResponderRole = z.infer<typeof ResponderRoleSchema>;

/** What a responder is doing now, derived from duty, offers and assignments. */
export const RESPONDER_ACTIVITIES = ["off_duty", "idle", "offered", ...ASSIGNED_CASE_STATUSES] as const;
export const ResponderActivitySchema = z.enum(RESPONDER_ACTIVITIES);
export type ResponderActivity = z.infer<typeof ResponderActivitySchema>;

/**
 * How an offer reaches a responder's phone now, as staff see it: `live` (the app is connected: an
 * offer pops up with sound), `push_only` (no live connection, but the phone was seen within the
 * presence window and has a push subscription: an offer arrives as a notification), `unreachable`
 * (neither: matching skips them). See dispatcher/responders/presence.ts.
 */
export const PHONE_STATES = ["live", "push_only", "unreachable"] as const;
export const PhoneStateSchema = z.enum(PHONE_STATES);
export type PhoneState = z.infer<typeof PhoneStateSchema>;

/** 叫餐/洗浴/理发/家政/按摩 */
export const SERVICE_KINDS = ["meal", "bathing", "haircut", "housekeeping", "massage"] as const;
export const ServiceKindSchema = z.enum(SERVICE_KINDS);
export type ServiceKind = z.infer<typeof ServiceKindSchema>;

export const SKILLS = ["first_aid", "lifting", "medical", ...SERVICE_KINDS, "companionship"] as const;
export const SkillSchema = z.enum(SKILLS);
export type Skill = z.infer<typeof SkillSchema>;

export const TRANSPORT_MODES = ["walk", "bike", "ebike", "car"] as const;
export const TransportModeSchema = z.enum(TRANSPORT_MODES);
export type TransportMode = z.infer<typeof TransportModeSchema>;

/** Console staff roles. */
export const STAFF_ROLES = ["admin", "dispatcher", "manager"] as const;
/** Every login role: staff, the responder phone app, and family members of a resident (their own elder only). */
export const USER_ROLES = [...STAFF_ROLES, "responder", "family"] as const;
export const UserRoleSchema = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof UserRoleSchema>;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const LIVING_SITUATIONS = ["alone", "empty_nest", "disabled", "with_family"] as const; // 独居/空巢/失能
export const LivingSituationSchema = z.enum(LIVING_SITUATIONS);
export type LivingSituation = z.infer<typeof LivingSituationSchema>;

export const GENDERS = ["male", "female"] as const;
export const GenderSchema = z.enum(GENDERS);
export type Gender = z.infer<typeof GenderSchema>;

export const ACTOR_TYPES = ["system", "device", "responder", "staff", "family"] as const;
export const ActorTypeSchema = z.enum(ACTOR_TYPES);
export type ActorType = z.infer<typeof ActorTypeSchema>;

export const ContactSchema = z.object({
  name: z.string(),
  relation: z.string(),
  phone: z.string(),
});
export type Contact = z.infer<typeof ContactSchema>;

// ---- devices ----

export const DEVICE_KINDS = [
  "wall_button",
  "wrist_button",
  /** Worn outdoors too, usually with GPS: its events may carry a `location`. */
  "pendant",
  "smoke_alarm",
  "gas_alarm",
  "water_sensor",
  "door_sensor",
  "motion_sensor",
] as const;
export const DeviceKindSchema = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof DeviceKindSchema>;

/** Devices the resident carries: a location on their events is where the case is. */
export const MOBILE_DEVICE_KINDS = ["wrist_button", "pendant"] as const satisfies readonly DeviceKind[];
export function isMobileDevice(kind: DeviceKind): boolean {
  return (MOBILE_DEVICE_KINDS as readonly DeviceKind[]).includes(kind);
}
/** A device with no test press for this long is flagged (standard practice: buttons checked weekly). */
export const TEST_PRESS_INTERVAL_MS = 7 * 86_400_000;

/** Below this battery percentage a device is flagged for staff (technical case). */
export const LOW_BATTERY_PERCENT = 20;

/** A device that has sent no test press (`test`) for this long is listed for a check. */
export const TEST_PRESS_DUE_DAYS = 7;

/**
 * Device-health list filters: never connected since it was provisioned; was seen and is now
 * offline; battery under LOW_BATTERY_PERCENT; no test press within TEST_PRESS_DUE_DAYS.
 */
export const DEVICE_FILTERS = ["all", "never_connected", "offline", "low_battery", "test_overdue"] as const;
export const DeviceFilterSchema = z.enum(DEVICE_FILTERS);
export type DeviceFilter = z.infer<typeof DeviceFilterSchema>;
export const DEVICE_SORTS = ["id", "resident", "community", "battery", "lastSeenAt", "lastTestAt"] as const;
export const DeviceSortSchema = z.enum(DEVICE_SORTS);
export type DeviceSort = z.infer<typeof DeviceSortSchema>;
export const SORT_DIRECTIONS = ["asc", "desc"] as const;
export const SortDirectionSchema = z.enum(SORT_DIRECTIONS);
export type SortDirection = z.infer<typeof SortDirectionSchema>;

// ---- people's language ----

/** What the console speaks (zh-CN by default) and what exports are written in. */
export const UI_LANGUAGES = ["zh-CN", "en"] as const;
export const UiLanguageSchema = z.enum(UI_LANGUAGES);
export type UiLanguage = z.infer<typeof UiLanguageSchema>;

// ---- time ----

/**
 * The platform's default time zone: "today" in reports, and times shown to people. A deployment
 * sets its own (dispatcher config PLATFORM_TIME_ZONE); the console reads it from /api/platform.
 */
export const PLATFORM_TIME_ZONE = "Asia/Shanghai";

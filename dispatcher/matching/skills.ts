// Who may answer which kind of case. The table is exported so the console can explain a match.
import type { ResponderRole, ServiceKind, Skill, CaseType } from "../../protocol/index.ts";
import type { CaseNeed, ResponderState } from "./types.ts";

/**
 * One row of the fit table.
 * - `roles`: who may go ("any" = every role).
 * - `skill`: what they must be able to do; "requested_service" = the skill named like the
 *   requested service; null = no skill needed.
 * - `match`: "role_and_skill" needs both; "role_or_skill" accepts either one.
 */
export interface FitRule {
  roles: readonly ResponderRole[] | "any";
  skill: Skill | "requested_service" | null;
  match: "role_and_skill" | "role_or_skill";
  why: string;
}

const HOME_CHECK: FitRule = {
  roles: ["grid_worker", "caregiver"],
  skill: null,
  match: "role_and_skill",
  why: "a home visit to check the resident and the device",
};

/** Smoke or gas: the fire brigade or gas company is called; the responder gets the resident out. */
const HAZARD: FitRule = {
  roles: ["caregiver", "grid_worker", "doctor"],
  skill: "first_aid",
  match: "role_or_skill",
  why: "a fire or gas alarm needs a caregiver, grid worker or doctor, or anyone trained in first aid",
};

const NOBODY: FitRule = {
  roles: [],
  skill: null,
  match: "role_and_skill",
  why: "answered by staff on the phone; no responder goes",
};

export const FIT_RULES: Readonly<Record<CaseType, FitRule>> = {
  sos: {
    roles: ["caregiver", "doctor", "grid_worker"],
    skill: "first_aid",
    match: "role_or_skill",
    why: "an emergency needs a caregiver, doctor or grid worker, or anyone trained in first aid",
  },
  fall: {
    roles: "any",
    skill: "lifting",
    match: "role_and_skill",
    why: "a fallen resident must be lifted safely: lifting training required, whatever the role",
  },
  service_request: {
    roles: ["volunteer", "caregiver"],
    skill: "requested_service",
    match: "role_and_skill",
    why: "services are delivered by volunteers or caregivers who offer that service",
  },
  low_battery: HOME_CHECK,
  device_offline: HOME_CHECK,
  no_activity: HOME_CHECK,
  smoke: HAZARD,
  gas: HAZARD,
  water_leak: {
    roles: ["caregiver", "grid_worker", "volunteer"],
    skill: null,
    match: "role_and_skill",
    why: "someone nearby shuts the water off and checks the resident did not slip",
  },
  door_alert: {
    roles: "any",
    skill: null,
    match: "role_and_skill",
    why: "anyone nearby can look for a resident who wandered out",
  },
  test_overdue: HOME_CHECK,
  never_connected: HOME_CHECK,
  device_replacement: HOME_CHECK,
  medical: {
    roles: ["doctor", "caregiver"],
    skill: "medical",
    match: "role_or_skill",
    why: "an illness needs a doctor or caregiver, or anyone with medical training",
  },
  welfare_check: {
    roles: "any",
    skill: null,
    match: "role_and_skill",
    why: "anyone may knock on the door and see that the resident is well",
  },
  // Answered at the desk: nobody is ever offered these.
  enquiry: NOBODY,
  complaint: NOBODY,
};

/** The skill a responder needs to deliver each service (叫餐/洗浴/理发/家政/按摩). */
export const SERVICE_SKILL: Readonly<Record<ServiceKind, Skill>> = {
  meal: "meal",
  bathing: "bathing",
  haircut: "haircut",
  housekeeping: "housekeeping",
  massage: "massage",
};

export function fitsCase(need: Pick<CaseNeed, "type" | "service">, responder: ResponderState): boolean {
  const rule = FIT_RULES[need.type];
  const roleOk = rule.roles === "any" || rule.roles.includes(responder.role);
  const skill = rule.skill === "requested_service" ? requestedSkill(need.service) : rule.skill;
  // No skill required (or a service request without a named service): the role decides.
  const skillOk = skill === null ? roleOk : responder.skills.includes(skill);
  return rule.match === "role_or_skill" ? roleOk || skillOk : roleOk && skillOk;
}

function requestedSkill(service: ServiceKind | null): Skill | null {
  return service === null ? null : SERVICE_SKILL[service];
}

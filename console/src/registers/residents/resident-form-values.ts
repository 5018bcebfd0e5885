// A resident's form as typed (text boxes hold strings) and the API input it stands for.
import type { ResidentInput, ResidentPatch, ResidentRecord } from "../../../../protocol/api.ts";
import {
  RESIDENT_CARE_FIELDS,
  RESIDENT_IDENTITY_FIELDS,
  RESIDENT_PAIRING_FIELDS,
} from "../../../../protocol/residents.ts";
import type { Gender, LivingSituation } from "../../../../protocol/domain.ts";
import { splitList } from "../useForm.ts";

export interface ContactValues {
  name: string;
  relation: string;
  phone: string;
}

export interface ResidentValues {
  name: string;
  gender: Gender;
  birthDate: string;
  phone: string;
  address: string;
  lat: string;
  lng: string;
  communityId: string;
  gridId: string;
  livingSituation: LivingSituation;
  conditions: string;
  medicines: string;
  emergencyContacts: ContactValues[];
  keyHolder: string;
  pairedVolunteerId: string;
}

export const EMPTY_CONTACT: ContactValues = { name: "", relation: "", phone: "" };

export const emptyResident = (): ResidentValues => ({
  name: "",
  gender: "female",
  birthDate: "",
  phone: "",
  address: "",
  lat: "",
  lng: "",
  communityId: "",
  gridId: "",
  livingSituation: "alone",
  conditions: "",
  medicines: "",
  emergencyContacts: [{ ...EMPTY_CONTACT }],
  keyHolder: "",
  pairedVolunteerId: "",
});

export const residentValues = (r: ResidentRecord): ResidentValues => ({
  name: r.name,
  gender: r.gender,
  birthDate: r.birthDate ?? "",
  phone: r.phone,
  address: r.address,
  lat: String(r.lat),
  lng: String(r.lng),
  communityId: String(r.communityId),
  gridId: String(r.gridId),
  livingSituation: r.livingSituation,
  conditions: r.conditions.join("、"),
  medicines: r.medicines.join("、"),
  emergencyContacts: r.emergencyContacts.map((c) => ({ name: c.name, relation: c.relation, phone: c.phone })),
  keyHolder: r.keyHolder ?? "",
  pairedVolunteerId: r.pairedVolunteer ? String(r.pairedVolunteer.id) : "",
});

/** An empty box is a missing number (the schema says "required"), not zero. */
const num = (s: string): number => (s.trim() === "" ? Number.NaN : Number(s));
const idOrNull = (s: string): number | null => (s === "" ? null : Number(s));

export function toResidentInput(v: ResidentValues): ResidentInput {
  return {
    name: v.name,
    gender: v.gender,
    birthDate: v.birthDate,
    phone: v.phone,
    address: v.address,
    lat: num(v.lat),
    lng: num(v.lng),
    communityId: num(v.communityId),
    gridId: num(v.gridId),
    livingSituation: v.livingSituation,
    conditions: splitList(v.conditions),
    medicines: splitList(v.medicines),
    emergencyContacts: v.emergencyContacts,
    keyHolder: v.keyHolder.trim() === "" ? null : v.keyHolder,
    pairedVolunteerId: idOrNull(v.pairedVolunteerId),
  };
}

export type FieldGroup = "identity" | "care" | "pairing";
export const GROUP_FIELDS = {
  identity: RESIDENT_IDENTITY_FIELDS,
  care: RESIDENT_CARE_FIELDS,
  pairing: RESIDENT_PAIRING_FIELDS,
} as const;

/** The fields of the groups the user may change that differ from the record. */
export function residentPatch(
  record: ResidentRecord,
  v: ResidentValues,
  groups: readonly FieldGroup[],
): ResidentPatch {
  const before = toResidentInput(residentValues(record)) as Record<string, unknown>;
  const after = toResidentInput(v) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const g of groups)
    for (const f of GROUP_FIELDS[g])
      if (JSON.stringify(before[f]) !== JSON.stringify(after[f])) patch[f] = after[f];
  return patch;
}

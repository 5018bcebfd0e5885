// SQL of the case file staff open on the console: the resident's file and the case's timeline.
import { z } from "zod";
import {
  ActorTypeSchema,
  CaseEventTypeSchema,
  ContactSchema,
  GenderSchema,
  LivingSituationSchema,
  type CaseEventDto,
} from "../../protocol/index.ts";
import { parseJson, type Queryable } from "../db/sql.ts";

/** The resident as the case file shows them; `age` is left to the caller (it needs "now"). */
export interface ResidentRecord {
  id: number;
  unregistered: boolean;
  name: string;
  gender: z.infer<typeof GenderSchema> | null;
  /** null for a caller not in the register. */
  birthYear: number | null;
  phone: string;
  address: string;
  lat: number;
  lng: number;
  livingSituation: z.infer<typeof LivingSituationSchema> | null;
  conditions: string[];
  medicines: string[];
  emergencyContacts: z.infer<typeof ContactSchema>[];
  keyHolder: string | null;
  pairedVolunteer: { id: number; name: string; phone: string } | null;
  communityName: string;
  gridName: string;
  gridWorker: string | null;
}

interface ResidentRow {
  id: number;
  unregistered: number;
  name: string;
  gender: string;
  birthYear: number;
  phone: string;
  address: string;
  lat: number;
  lng: number;
  livingSituation: string;
  conditions: string;
  medicines: string;
  emergencyContacts: string;
  keyHolder: string | null;
  pairedVolunteerId: number | null;
  pairedName: string | null;
  pairedPhone: string | null;
  communityName: string;
  gridName: string;
  gridWorker: string | null;
}

const strings = z.array(z.string());

export async function findResident(q: Queryable, id: number): Promise<ResidentRecord | null> {
  const r = await q.get<ResidentRow>(
    `SELECT r.id, r.unregistered, r.name, r.gender, r."birthYear", r.phone, r.address, r.lat, r.lng, r."livingSituation",
            r.conditions, r.medicines, r."emergencyContacts", r."keyHolder", r."pairedVolunteerId",
            v.name AS "pairedName", v.phone AS "pairedPhone", cm.name AS "communityName", g.name AS "gridName",
            w.name AS "gridWorker"
     FROM "Resident" r
     JOIN "Community" cm ON cm.id = r."communityId"
     JOIN "Grid" g ON g.id = r."gridId"
     LEFT JOIN "Responder" w ON w.id = g."gridWorkerId"
     LEFT JOIN "Responder" v ON v.id = r."pairedVolunteerId"
     WHERE r.id = ?`,
    [id],
  );
  if (!r) return null;
  // An ad-hoc record of the hotline holds placeholders where nobody asked (residents/repository.ts).
  const known = r.unregistered === 0;
  return {
    id: r.id,
    unregistered: !known,
    name: r.name,
    gender: known ? GenderSchema.parse(r.gender) : null,
    birthYear: known ? r.birthYear : null,
    phone: r.phone,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    livingSituation: known ? LivingSituationSchema.parse(r.livingSituation) : null,
    conditions: strings.parse(parseJson(r.conditions)),
    medicines: strings.parse(parseJson(r.medicines)),
    emergencyContacts: z.array(ContactSchema).parse(parseJson(r.emergencyContacts)),
    keyHolder: r.keyHolder,
    pairedVolunteer:
      r.pairedVolunteerId === null
        ? null
        : { id: r.pairedVolunteerId, name: r.pairedName ?? "", phone: r.pairedPhone ?? "" },
    communityName: r.communityName,
    gridName: r.gridName,
    gridWorker: r.gridWorker,
  };
}

interface EventRow {
  id: number;
  type: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  at: number;
  note: string | null;
  data: string | null;
}

const EventDataSchema = z.record(z.string(), z.unknown()).nullable().catch(null);

/** Every step of the case, in order. */
export async function timeline(q: Queryable, caseId: number): Promise<CaseEventDto[]> {
  const rows = await q.all<EventRow>(
    `SELECT id, type, "actorType", "actorId", "actorName", at, note, data FROM "CaseEvent"
     WHERE "caseId" = ? ORDER BY at, id`,
    [caseId],
  );
  return rows.map((e) => ({
    id: e.id,
    type: CaseEventTypeSchema.parse(e.type),
    actorType: ActorTypeSchema.parse(e.actorType),
    actorId: e.actorId,
    actorName: e.actorName,
    at: new Date(e.at).toISOString(),
    note: e.note,
    data: EventDataSchema.parse(parseJson(e.data)),
  }));
}

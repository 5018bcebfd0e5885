// SQL of duty rosters: shift patterns and exceptions.
import { WeekdaySchema, type ShiftExceptionKind, type Weekday } from "../../protocol/index.ts";
import { parseJson, type Queryable, type Tx } from "../db/sql.ts";

export interface PatternRow {
  id: number;
  responderId: number;
  days: Weekday[];
  start: string;
  minutes: number;
  from: string;
  until: string | null;
  rrule: string;
  note: string;
}

export interface ExceptionRow {
  id: number;
  responderId: number;
  kind: ShiftExceptionKind;
  startsAt: number;
  endsAt: number;
  note: string;
}

const PATTERN_SELECT = `SELECT p.id, p."responderId", p.days, p.start, p.minutes, p."fromDay" AS "from",
  p."untilDay" AS "until", p.rrule, p.note FROM "ShiftPattern" p`;
const EXCEPTION_SELECT = `SELECT e.id, e."responderId", e.kind, e."startsAt", e."endsAt", e.note FROM "ShiftException" e`;

type RawPattern = Omit<PatternRow, "days"> & { days: string };

function toPattern(r: RawPattern): PatternRow {
  return { ...r, days: WeekdaySchema.array().parse(parseJson(r.days)) };
}

/** Every pattern and every exception not yet over (`since`), of responders in service. */
export async function allRosters(
  q: Queryable,
  since: number,
): Promise<{ patterns: PatternRow[]; exceptions: ExceptionRow[] }> {
  const [patterns, exceptions] = await Promise.all([
    q.all<RawPattern>(
      `${PATTERN_SELECT} JOIN "Responder" r ON r.id = p."responderId" WHERE r."retiredAt" IS NULL ORDER BY p.id`,
    ),
    q.all<ExceptionRow>(
      `${EXCEPTION_SELECT} JOIN "Responder" r ON r.id = e."responderId"
       WHERE r."retiredAt" IS NULL AND e."endsAt" > ? ORDER BY e.id`,
      [since],
    ),
  ]);
  return { patterns: patterns.map(toPattern), exceptions };
}

export async function rosterOf(
  q: Queryable,
  responderId: number,
  since: number,
): Promise<{ patterns: PatternRow[]; exceptions: ExceptionRow[] }> {
  const [patterns, exceptions] = await Promise.all([
    q.all<RawPattern>(`${PATTERN_SELECT} WHERE p."responderId" = ? ORDER BY p.id`, [responderId]),
    q.all<ExceptionRow>(
      `${EXCEPTION_SELECT} WHERE e."responderId" = ? AND e."endsAt" > ? ORDER BY e."startsAt"`,
      [responderId, since],
    ),
  ]);
  return { patterns: patterns.map(toPattern), exceptions };
}

export async function insertPattern(
  tx: Tx,
  p: Omit<PatternRow, "id"> & { createdAt: number },
): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "ShiftPattern" ("responderId", days, start, minutes, "fromDay", "untilDay", rrule, note, "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      p.responderId,
      JSON.stringify(p.days),
      p.start,
      p.minutes,
      p.from,
      p.until,
      p.rrule,
      p.note,
      p.createdAt,
    ],
  );
  return row!.id;
}

export async function insertException(
  tx: Tx,
  e: Omit<ExceptionRow, "id"> & { createdAt: number },
): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "ShiftException" ("responderId", kind, "startsAt", "endsAt", note, "createdAt")
     VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    [e.responderId, e.kind, e.startsAt, e.endsAt, e.note, e.createdAt],
  );
  return row!.id;
}

export async function findPattern(q: Queryable, id: number): Promise<PatternRow | undefined> {
  const row = await q.get<RawPattern>(`${PATTERN_SELECT} WHERE p.id = ?`, [id]);
  return row && toPattern(row);
}

export function findException(q: Queryable, id: number): Promise<ExceptionRow | undefined> {
  return q.get<ExceptionRow>(`${EXCEPTION_SELECT} WHERE e.id = ?`, [id]);
}

export async function deletePattern(tx: Tx, id: number): Promise<void> {
  await tx.run(`DELETE FROM "ShiftPattern" WHERE id = ?`, [id]);
}

export async function deleteException(tx: Tx, id: number): Promise<void> {
  await tx.run(`DELETE FROM "ShiftException" WHERE id = ?`, [id]);
}

export function communityNames(q: Queryable): Promise<{ id: number; name: string }[]> {
  return q.all(`SELECT id, name FROM "Community" ORDER BY id`);
}

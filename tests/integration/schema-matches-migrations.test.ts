// The SQL migrations are written by hand (docs/decisions/0001): prove the migrated database is
// exactly what schema.prisma describes, and that the Prisma client can write and read every model.
// The same migrations on PostgreSQL: schema-matches-migrations-postgres.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { openDatabase } from "../../dispatcher/db/open.ts";
import type { SqlDatabase } from "../../dispatcher/db/sql.ts";
import { applyMigrations } from "../../prisma/migrate.ts";
import { openPrisma } from "../helpers/prisma.ts";
import { readSchema, STORAGE } from "../helpers/schema.ts";

let dir: string;
let file: string;
let db: SqlDatabase;
let prisma: PrismaClient;
const models = readSchema();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eldercare-schema-"));
  file = join(dir, "schema.db");
  db = await openDatabase(`file:${file}`); // migrates
  prisma = await openPrisma(file);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the migrated database matches schema.prisma", () => {
  it("reads a plausible number of models from the schema", () => {
    expect(models.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        "Community",
        "Grid",
        "Resident",
        "Device",
        "DeviceEvent",
        "Responder",
        "User",
        "Session",
        "Case",
        "CaseEvent",
        "Offer",
        "ServiceLog",
        "FollowUp",
        "CaseCall",
        "AuditEntry",
        "Setting",
        "PushSubscription",
        "ResponderPresence",
        "IdempotencyKey",
      ]),
    );
  });

  it.each(models.map((m) => [m.name, m] as const))(
    "model %s: every column with its type, nullability and key",
    async (_name, model) => {
      const columns = await db.all<{ name: string; type: string; notnull: number; pk: number }>(
        `PRAGMA table_info("${model.name}")`,
      );
      expect(columns.map((c) => c.name).sort()).toEqual(model.fields.map((f) => f.name).sort());
      for (const f of model.fields) {
        const col = columns.find((c) => c.name === f.name)!;
        expect({ field: f.name, type: col.type }).toEqual({ field: f.name, type: STORAGE[f.type]!.sqlite });
        expect({ field: f.name, notnull: col.notnull === 1 }).toEqual({
          field: f.name,
          notnull: !f.optional,
        });
        const inPk = f.id || (model.compositeId?.includes(f.name) ?? false);
        expect({ field: f.name, pk: col.pk > 0 }).toEqual({ field: f.name, pk: inPk });
      }
      const indexes = await db.all<{ name: string; unique: number }>(`PRAGMA index_list("${model.name}")`);
      for (const cols of model.indexes) {
        expect(indexes.map((i) => i.name)).toContain(`${model.name}_${cols.join("_")}_idx`);
      }
      for (const f of model.fields.filter((x) => x.unique)) {
        expect(indexes).toContainEqual(
          expect.objectContaining({ name: `${model.name}_${f.name}_key`, unique: 1 }),
        );
      }
    },
  );

  it("applying the migrations again is a no-op", () => {
    const raw = new BetterSqlite3(file);
    try {
      expect(applyMigrations(raw).applied).toEqual([]);
    } finally {
      raw.close();
    }
  });
});

describe("the Prisma client writes and reads every model", () => {
  it("round-trips a whole case with its world", async () => {
    const p = prisma;
    const now = new Date("2026-11-23T08:00:00.000Z");
    const community = await p.community.create({
      data: { name: "经二路社区", district: "渭滨区", lat: 34.36, lng: 107.14 },
    });
    const responder = await p.responder.create({
      data: {
        name: "王芳",
        phone: "13800000000",
        role: "caregiver",
        communityId: community.id,
        skills: ["first_aid", "lifting"],
        transport: "ebike",
        onDuty: true,
        lat: 34.361,
        lng: 107.141,
        locationAt: now,
      },
    });
    const grid = await p.grid.create({
      data: {
        communityId: community.id,
        name: "一网格",
        households: 420,
        gridWorkerId: responder.id,
        outline: [
          [34.36, 107.14],
          [34.361, 107.142],
          [34.359, 107.143],
        ],
      },
    });
    const resident = await p.resident.create({
      data: {
        name: "李秀英",
        gender: "female",
        birthYear: 1925,
        phone: "0917-1234567",
        address: "经二路 1号",
        lat: 34.36,
        lng: 107.14,
        communityId: community.id,
        gridId: grid.id,
        livingSituation: "alone",
        conditions: ["高血压"],
        medicines: ["硝苯地平"],
        emergencyContacts: [{ name: "李强", relation: "儿子", phone: "13900000000" }],
        keyHolder: "邻居 王阿姨",
        pairedVolunteerId: responder.id,
      },
    });
    const device = await p.device.create({
      data: {
        id: "BJ-T0001",
        residentId: resident.id,
        kind: "wall_button",
        secretHash: "sha256$x$y",
        online: true,
        lastSeenAt: now,
        battery: 90,
        signal: 70,
      },
    });
    const user = await p.user.create({
      data: {
        username: "wangfang",
        displayName: "王芳",
        passwordHash: "scrypt$x",
        role: "responder",
        responderId: responder.id,
      },
    });
    await p.session.create({ data: { id: "hash", userId: user.id, expiresAt: now } });
    const c = await p.case.create({
      data: {
        type: "fall",
        kind: "emergency",
        priority: 1,
        status: "accepted",
        residentId: resident.id,
        deviceId: device.id,
        communityId: community.id,
        responderId: responder.id,
        etaSeconds: 240,
        createdAt: now,
        updatedAt: now,
        acceptedAt: now,
      },
    });
    await p.deviceEvent.create({
      data: {
        deviceId: device.id,
        eventId: "e-1",
        type: "fall",
        deviceAt: now,
        receivedAt: now,
        caseId: c.id,
        outcome: "created",
      },
    });
    await p.caseEvent.create({
      data: {
        caseId: c.id,
        type: "created",
        actorType: "device",
        actorId: device.id,
        at: now,
        data: { type: "fall" },
      },
    });
    await p.offer.create({
      data: {
        caseId: c.id,
        responderId: responder.id,
        status: "accepted",
        etaSeconds: 240,
        distanceMeters: 320.5,
        createdAt: now,
        deadline: now,
      },
    });
    await p.serviceLog.create({
      data: {
        caseId: c.id,
        residentId: resident.id,
        responderId: responder.id,
        at: now,
        place: resident.address,
        content: "扶起老人",
        durationMinutes: 20,
      },
    });
    await p.followUp.create({
      data: { caseId: c.id, staffId: user.id, at: now, outcome: "reached_ok", note: "回访正常" },
    });
    await p.caseCall.create({
      data: {
        caseId: c.id,
        at: now,
        direction: "outbound",
        party: "family",
        number: "13900000000",
        outcome: "reached",
        actorType: "staff",
        actorId: String(user.id),
        actorName: "王芳",
      },
    });
    await p.staffAlert.create({
      data: {
        caseId: c.id,
        kind: "no_accept",
        message: "nobody accepted",
        at: now,
        acknowledgedAt: now,
        acknowledgedById: user.id,
        acknowledgedByName: "王芳",
      },
    });
    await p.followUpTask.create({
      data: {
        caseId: c.id,
        reason: "retry",
        status: "done",
        attempt: 2,
        dueAt: now,
        createdAt: now,
        settledAt: now,
        settledById: user.id,
      },
    });
    await p.auditEntry.create({
      data: {
        at: now,
        actorType: "staff",
        actorId: String(user.id),
        action: "update",
        entity: "resident",
        entityId: String(resident.id),
        changes: { keyHolder: [null, "邻居张姨"] },
      },
    });
    await p.setting.create({ data: { key: "push.vapid", value: { publicKey: "k" }, updatedAt: now } });
    expect((await p.setting.findUniqueOrThrow({ where: { key: "push.vapid" } })).value).toEqual({
      publicKey: "k",
    });
    expect((await p.auditEntry.findFirstOrThrow()).changes).toEqual({ keyHolder: [null, "邻居张姨"] });
    await p.pushSubscription.create({
      data: {
        responderId: responder.id,
        endpoint: "https://fcm.googleapis.com/fcm/send/abc",
        p256dh: "BPk",
        auth: "au",
        lang: "zh-CN",
        createdAt: now,
      },
    });
    await p.responderPresence.create({ data: { responderId: responder.id, lastSeenAt: now } });
    await p.idempotencyKey.create({
      data: {
        userId: user.id,
        key: "k-1",
        fingerprint: "POST /x h",
        status: 200,
        body: "{}",
        createdAt: now,
      },
    });
    const withPhone = await p.responder.findUniqueOrThrow({
      where: { id: responder.id },
      include: { pushSubscriptions: true, presence: true, user: { include: { idempotencyKeys: true } } },
    });
    expect(withPhone.pushSubscriptions[0]?.failures).toBe(0);
    expect(withPhone.presence?.lastSeenAt?.toISOString()).toBe(now.toISOString());
    expect(withPhone.user?.idempotencyKeys[0]?.status).toBe(200);

    const full = await p.case.findUniqueOrThrow({
      where: { id: c.id },
      include: {
        resident: {
          include: { grid: { include: { gridWorker: true } }, pairedVolunteer: true, community: true },
        },
        device: true,
        responder: { include: { user: { include: { sessions: true } } } },
        events: true,
        offers: true,
        deviceEvents: true,
        serviceLogs: true,
        followUps: { include: { staff: true } },
        calls: true,
        alerts: { include: { acknowledgedBy: true } },
        followUpTasks: { include: { settledBy: true } },
      },
    });
    expect(full.createdAt.toISOString()).toBe(now.toISOString());
    expect(full.resident.conditions).toEqual(["高血压"]);
    expect(full.resident.emergencyContacts).toEqual([
      { name: "李强", relation: "儿子", phone: "13900000000" },
    ]);
    expect(full.resident.grid.gridWorker?.name).toBe("王芳");
    expect(full.resident.pairedVolunteer?.id).toBe(responder.id);
    expect(full.device?.online).toBe(true);
    expect(full.responder?.skills).toEqual(["first_aid", "lifting"]);
    expect(full.responder?.user?.sessions).toHaveLength(1);
    expect(full.events[0]?.data).toEqual({ type: "fall" });
    expect(full.offers[0]?.distanceMeters).toBe(320.5);
    expect(full.deviceEvents[0]?.eventId).toBe("e-1");
    expect(full.serviceLogs[0]?.durationMinutes).toBe(20);
    expect(full.followUps[0]?.staff?.username).toBe("wangfang");
    expect(full.calls[0]?.outcome).toBe("reached");
    expect(full.resident.grid.outline).toEqual([
      [34.36, 107.14],
      [34.361, 107.142],
      [34.359, 107.143],
    ]);
    expect(full.alerts[0]?.acknowledgedBy?.username).toBe("wangfang");
    expect(full.followUpTasks[0]).toMatchObject({ reason: "retry", attempt: 2, status: "done" });
    expect(full.followUpTasks[0]?.settledBy?.username).toBe("wangfang");

    // home sensors and the family circle
    await p.case.update({
      where: { id: c.id },
      data: { lat: 34.37, lng: 107.15, locationAccuracy: 25, locationFixAt: now, away: true },
    });
    await p.sensorSettings.create({
      data: {
        residentId: resident.id,
        inactivityDayMinutes: 240,
        inactivityNightMinutes: 600,
        nightStart: "22:00",
        nightEnd: "07:00",
        doorWatch: true,
        doorFrom: "22:00",
        doorTo: "06:00",
        updatedAt: now,
      },
    });
    await p.motionWatch.create({
      data: { residentId: resident.id, lastMotionAt: now, alertedFor: now, caseId: c.id },
    });
    const member = await p.familyMember.create({
      data: {
        residentId: resident.id,
        userId: user.id,
        name: "李强",
        relation: "儿子",
        phone: "13900000000",
        medicalConsent: true,
        notify: { stages: ["received"], sms: true },
        invitedAt: now,
        joinedAt: now,
      },
    });
    await p.familyCode.create({
      data: { phone: "13900000000", codeHash: "h", createdAt: now, expiresAt: now },
    });
    await p.familyNotice.create({ data: { caseId: c.id, memberId: member.id, stage: "received", at: now } });
    const withFamily = await p.resident.findUniqueOrThrow({
      where: { id: resident.id },
      include: {
        sensorSettings: true,
        motionWatch: true,
        family: { include: { notices: true, user: true } },
      },
    });
    expect(withFamily.sensorSettings?.doorWatch).toBe(true);
    expect(withFamily.motionWatch?.caseId).toBe(c.id);
    expect(withFamily.family[0]?.notify).toEqual({ stages: ["received"], sms: true });
    expect(withFamily.family[0]?.notices[0]?.stage).toBe("received");
    expect(withFamily.family[0]?.user?.username).toBe("wangfang");
    expect((await p.familyCode.findFirstOrThrow()).attempts).toBe(0);
    expect((await p.case.findUniqueOrThrow({ where: { id: c.id } })).away).toBe(true);
  });
});

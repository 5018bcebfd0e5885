-- Supervision profiles per device kind (protocol/supervision.ts has the same defaults): heartbeat
-- interval and missed beats before offline, hours before a never-connected device is reported,
-- minutes an outage may last before the device is flagged for replacement. A device follows its
-- kind's profile unless it was given its own heartbeat settings (ownSupervision).

-- CreateTable
CREATE TABLE "SupervisionProfile" (
    "kind" TEXT NOT NULL PRIMARY KEY,
    "heartbeatSeconds" INTEGER NOT NULL,
    "missedBeatsOffline" INTEGER NOT NULL,
    "neverConnectedHours" INTEGER NOT NULL,
    "replaceAfterMinutes" INTEGER NOT NULL,
    "updatedAt" DATETIME
);

INSERT INTO "SupervisionProfile" ("kind", "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours", "replaceAfterMinutes") VALUES ('wall_button', 300, 3, 24, 120);
INSERT INTO "SupervisionProfile" ("kind", "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours", "replaceAfterMinutes") VALUES ('wrist_button', 600, 3, 24, 120);
INSERT INTO "SupervisionProfile" ("kind", "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours", "replaceAfterMinutes") VALUES ('pendant', 900, 4, 24, 120);
INSERT INTO "SupervisionProfile" ("kind", "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours", "replaceAfterMinutes") VALUES ('smoke_alarm', 1800, 3, 24, 120);
INSERT INTO "SupervisionProfile" ("kind", "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours", "replaceAfterMinutes") VALUES ('gas_alarm', 1800, 3, 24, 120);
INSERT INTO "SupervisionProfile" ("kind", "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours", "replaceAfterMinutes") VALUES ('water_sensor', 3600, 3, 24, 120);
INSERT INTO "SupervisionProfile" ("kind", "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours", "replaceAfterMinutes") VALUES ('door_sensor', 3600, 3, 24, 120);
INSERT INTO "SupervisionProfile" ("kind", "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours", "replaceAfterMinutes") VALUES ('motion_sensor', 3600, 3, 24, 120);

-- AlterTable
ALTER TABLE "Device" ADD COLUMN "ownSupervision" BOOLEAN NOT NULL DEFAULT false;

-- Supervision profiles per device kind: heartbeat interval and missed beats before offline, hours
-- before a never-connected device is reported, minutes an outage may last before the device is
-- flagged for replacement. The devices feature writes each kind's default row at start
-- (protocol/supervision.ts) unless it is there. A device follows its kind's profile unless it was
-- given its own heartbeat settings (ownSupervision).

-- CreateTable
CREATE TABLE "SupervisionProfile" (
    "kind" TEXT NOT NULL PRIMARY KEY,
    "heartbeatSeconds" INTEGER NOT NULL,
    "missedBeatsOffline" INTEGER NOT NULL,
    "neverConnectedHours" INTEGER NOT NULL,
    "replaceAfterMinutes" INTEGER NOT NULL,
    "updatedAt" DATETIME
);

-- AlterTable
ALTER TABLE "Device" ADD COLUMN "ownSupervision" BOOLEAN NOT NULL DEFAULT false;

-- Lenient ingest: what was wrong with an accepted event, and the events a device sent that
-- could not be used at all (acknowledged as rejected, counted for staff).
ALTER TABLE "DeviceEvent" ADD COLUMN "faults" JSONB;
ALTER TABLE "Device" ADD COLUMN "rejectedEvents" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Device" ADD COLUMN "lastRejectedAt" DATETIME;
ALTER TABLE "Device" ADD COLUMN "lastRejectReason" TEXT;

-- Hotline intake: a caller not in the register gets a record holding only a name and a place,
-- flagged so the register leaves it out; a call record names who called or was called.
ALTER TABLE "Resident" ADD COLUMN "unregistered" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "CaseCall" ADD COLUMN "name" TEXT;

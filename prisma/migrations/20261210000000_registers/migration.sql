-- Registers: residents, devices and responders can be retired (they keep their history);
-- residents get a birth date (duplicate detection: name + birth date + address); staff users can
-- be disabled and limited to communities; residents get a narrow search table for as-you-type search.

-- AlterTable
ALTER TABLE "Resident" ADD COLUMN "birthDate" TEXT;
ALTER TABLE "Resident" ADD COLUMN "retiredAt" DATETIME;

-- AlterTable
ALTER TABLE "Device" ADD COLUMN "retiredAt" DATETIME;

-- AlterTable
ALTER TABLE "Responder" ADD COLUMN "retiredAt" DATETIME;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "disabled" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "User" ADD COLUMN "communityIds" JSONB;

-- CreateTable
CREATE TABLE "ResidentSearch" (
    "residentId" INTEGER NOT NULL PRIMARY KEY,
    "communityId" INTEGER NOT NULL,
    "gridId" INTEGER NOT NULL,
    "retired" BOOLEAN NOT NULL DEFAULT false,
    "text" TEXT NOT NULL,
    CONSTRAINT "ResidentSearch_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ResidentSearch_communityId_idx" ON "ResidentSearch"("communityId");

-- CreateIndex
CREATE INDEX "Resident_name_birthDate_idx" ON "Resident"("name", "birthDate");

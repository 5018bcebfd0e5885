-- Home sensors, GPS pendants and the family circle: a case may be placed at a mobile device's
-- position fix; per-resident settings of the inactivity and door rules; the motion watch that
-- counts a resident's silence; family members invited from the emergency contacts, their one-time
-- sign-in codes, and the notices they were sent (each stage of a case once per member).

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "lat" REAL;
ALTER TABLE "Case" ADD COLUMN "lng" REAL;
ALTER TABLE "Case" ADD COLUMN "locationAccuracy" REAL;
ALTER TABLE "Case" ADD COLUMN "locationFixAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "away" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "SensorSettings" (
    "residentId" INTEGER NOT NULL PRIMARY KEY,
    "inactivityDayMinutes" INTEGER NOT NULL,
    "inactivityNightMinutes" INTEGER NOT NULL,
    "nightStart" TEXT NOT NULL,
    "nightEnd" TEXT NOT NULL,
    "doorWatch" BOOLEAN NOT NULL DEFAULT false,
    "doorFrom" TEXT NOT NULL,
    "doorTo" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SensorSettings_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MotionWatch" (
    "residentId" INTEGER NOT NULL PRIMARY KEY,
    "lastMotionAt" DATETIME NOT NULL,
    "alertedFor" DATETIME,
    "caseId" INTEGER,
    CONSTRAINT "MotionWatch_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FamilyMember" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "residentId" INTEGER NOT NULL,
    "userId" INTEGER,
    "name" TEXT NOT NULL,
    "relation" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "medicalConsent" BOOLEAN NOT NULL DEFAULT false,
    "notify" JSONB NOT NULL,
    "invitedAt" DATETIME NOT NULL,
    "joinedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "FamilyMember_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "FamilyMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "FamilyMember_residentId_phone_key" ON "FamilyMember"("residentId", "phone");

-- CreateIndex
CREATE INDEX "FamilyMember_userId_idx" ON "FamilyMember"("userId");

-- CreateIndex
CREATE INDEX "FamilyMember_phone_idx" ON "FamilyMember"("phone");

-- CreateTable
CREATE TABLE "FamilyCode" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "phone" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "usedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "FamilyCode_phone_idx" ON "FamilyCode"("phone");

-- CreateTable
CREATE TABLE "FamilyNotice" (
    "caseId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("caseId", "memberId", "stage"),
    CONSTRAINT "FamilyNotice_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "FamilyNotice_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "FamilyMember" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Duty rosters: weekly shift patterns per responder (wall-clock times in the platform's zone,
-- the recurrence kept as an RRULE too) and one-off exceptions (time off, an extra shift).

-- CreateTable
CREATE TABLE "ShiftPattern" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "responderId" INTEGER NOT NULL,
    "days" JSONB NOT NULL,
    "start" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "fromDay" TEXT NOT NULL,
    "untilDay" TEXT,
    "rrule" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "ShiftPattern_responderId_fkey" FOREIGN KEY ("responderId") REFERENCES "Responder" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ShiftException" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "responderId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "ShiftException_responderId_fkey" FOREIGN KEY ("responderId") REFERENCES "Responder" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ShiftPattern_responderId_idx" ON "ShiftPattern"("responderId");

-- CreateIndex
CREATE INDEX "ShiftException_responderId_endsAt_idx" ON "ShiftException"("responderId", "endsAt");

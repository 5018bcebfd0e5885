-- Daily check-in (optional per resident): by their set hour the resident presses "I'm OK" (or
-- any button); otherwise one welfare check that day. raisedFor is the deadline (the day) a case
-- was already raised for, so a restart or the next sweep raises no second one.

-- CreateTable
CREATE TABLE "CheckInPlan" (
    "residentId" INTEGER NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "dueTime" TEXT NOT NULL,
    "raisedFor" DATETIME,
    "raisedCaseId" INTEGER,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CheckInPlan_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DeviceEvent_deviceId_receivedAt_idx" ON "DeviceEvent"("deviceId", "receivedAt");

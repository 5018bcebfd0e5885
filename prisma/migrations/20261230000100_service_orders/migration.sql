-- Service orders: a resident's order for a home service in a time window, queued per community,
-- assigned or claimed, done with the visit's minutes. The service log (民情日记) records what each
-- entry came from: a case's job, a service order, a follow-up call or a welfare check.

-- CreateTable
CREATE TABLE "ServiceOrder" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "residentId" INTEGER NOT NULL,
    "communityId" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "windowFrom" DATETIME NOT NULL,
    "windowTo" DATETIME NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "origin" TEXT NOT NULL,
    "caseId" INTEGER,
    "status" TEXT NOT NULL,
    "responderId" INTEGER,
    "claimed" BOOLEAN NOT NULL DEFAULT false,
    "minutes" INTEGER,
    "report" TEXT,
    "cancelReason" TEXT,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "remindedAt" DATETIME,
    "doneAt" DATETIME,
    CONSTRAINT "ServiceOrder_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ServiceOrder_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ServiceOrder_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ServiceOrder_responderId_fkey" FOREIGN KEY ("responderId") REFERENCES "Responder" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ServiceOrder_communityId_status_idx" ON "ServiceOrder"("communityId", "status");

-- CreateIndex
CREATE INDEX "ServiceOrder_responderId_status_idx" ON "ServiceOrder"("responderId", "status");

-- CreateIndex
CREATE INDEX "ServiceOrder_status_windowFrom_idx" ON "ServiceOrder"("status", "windowFrom");

-- AlterTable
ALTER TABLE "ServiceLog" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'job';
ALTER TABLE "ServiceLog" ADD COLUMN "serviceOrderId" INTEGER;

-- CreateIndex
CREATE INDEX "ServiceLog_at_idx" ON "ServiceLog"("at");

-- CreateIndex
CREATE INDEX "ServiceLog_responderId_at_idx" ON "ServiceLog"("responderId", "at");

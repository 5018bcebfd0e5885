-- A gap in a community's roster coverage, raised ahead of time as one stored alert per gap:
-- open until the roster fills it (or it goes by uncovered); acknowledged by whoever saw it.

-- CreateTable
CREATE TABLE "CoverageAlert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communityId" INTEGER NOT NULL,
    "gapFrom" DATETIME NOT NULL,
    "gapUntil" DATETIME NOT NULL,
    "raisedAt" DATETIME NOT NULL,
    "acknowledgedAt" DATETIME,
    "acknowledgedById" INTEGER,
    "acknowledgedByName" TEXT,
    "resolvedAt" DATETIME,
    "resolution" TEXT,
    CONSTRAINT "CoverageAlert_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CoverageAlert_communityId_resolvedAt_idx" ON "CoverageAlert"("communityId", "resolvedAt");

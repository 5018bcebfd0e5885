-- CreateTable
CREATE TABLE "Community" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "lat" REAL NOT NULL,
    "lng" REAL NOT NULL
);

-- CreateTable
CREATE TABLE "Grid" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communityId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "households" INTEGER NOT NULL,
    "gridWorkerId" INTEGER,
    CONSTRAINT "Grid_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Grid_gridWorkerId_fkey" FOREIGN KEY ("gridWorkerId") REFERENCES "Responder" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Resident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "gender" TEXT NOT NULL,
    "birthYear" INTEGER NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "lat" REAL NOT NULL,
    "lng" REAL NOT NULL,
    "communityId" INTEGER NOT NULL,
    "gridId" INTEGER NOT NULL,
    "livingSituation" TEXT NOT NULL,
    "conditions" JSONB NOT NULL,
    "medicines" JSONB NOT NULL,
    "emergencyContacts" JSONB NOT NULL,
    "keyHolder" TEXT,
    "pairedVolunteerId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Resident_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Resident_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Resident_pairedVolunteerId_fkey" FOREIGN KEY ("pairedVolunteerId") REFERENCES "Responder" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Device" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "residentId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "heartbeatSeconds" INTEGER NOT NULL DEFAULT 300,
    "missedBeatsOffline" INTEGER NOT NULL DEFAULT 3,
    "online" BOOLEAN NOT NULL DEFAULT false,
    "lastSeenAt" DATETIME,
    "lastTestAt" DATETIME,
    "battery" INTEGER,
    "signal" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Device_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeviceEvent" (
    "deviceId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "deviceAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "caseId" INTEGER,
    "outcome" TEXT NOT NULL,

    PRIMARY KEY ("deviceId", "eventId"),
    CONSTRAINT "DeviceEvent_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "DeviceEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Responder" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "communityId" INTEGER NOT NULL,
    "skills" JSONB NOT NULL,
    "transport" TEXT NOT NULL,
    "onDuty" BOOLEAN NOT NULL DEFAULT false,
    "lat" REAL,
    "lng" REAL,
    "locationAt" DATETIME,
    "volunteerHours" REAL NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Responder_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "responderId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "User_responderId_fkey" FOREIGN KEY ("responderId") REFERENCES "Responder" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Case" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "type" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "escalationReason" TEXT,
    "service" TEXT,
    "residentId" INTEGER NOT NULL,
    "deviceId" TEXT,
    "openingEventId" TEXT,
    "communityId" INTEGER NOT NULL,
    "responderId" INTEGER,
    "etaSeconds" INTEGER,
    "pressCount" INTEGER NOT NULL DEFAULT 1,
    "offerRound" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "acceptedAt" DATETIME,
    "arrivedAt" DATETIME,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "cancelledAt" DATETIME,
    "offerDeadline" DATETIME,
    "escalationDeadline" DATETIME,
    "staffAckAt" DATETIME,
    "resolutionNote" TEXT,
    CONSTRAINT "Case_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Case_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Case_responderId_fkey" FOREIGN KEY ("responderId") REFERENCES "Responder" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "at" DATETIME NOT NULL,
    "note" TEXT,
    "data" JSONB,
    CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Offer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "responderId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "etaSeconds" INTEGER NOT NULL,
    "distanceMeters" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "deadline" DATETIME NOT NULL,
    "respondedAt" DATETIME,
    CONSTRAINT "Offer_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Offer_responderId_fkey" FOREIGN KEY ("responderId") REFERENCES "Responder" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServiceLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER,
    "residentId" INTEGER NOT NULL,
    "responderId" INTEGER,
    "at" DATETIME NOT NULL,
    "place" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "durationMinutes" INTEGER,
    CONSTRAINT "ServiceLog_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ServiceLog_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ServiceLog_responderId_fkey" FOREIGN KEY ("responderId") REFERENCES "Responder" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "staffId" INTEGER,
    "at" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    CONSTRAINT "FollowUp_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "FollowUp_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Community_name_key" ON "Community"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Grid_gridWorkerId_key" ON "Grid"("gridWorkerId");

-- CreateIndex
CREATE INDEX "Grid_communityId_idx" ON "Grid"("communityId");

-- CreateIndex
CREATE INDEX "Resident_communityId_idx" ON "Resident"("communityId");

-- CreateIndex
CREATE INDEX "Resident_pairedVolunteerId_idx" ON "Resident"("pairedVolunteerId");

-- CreateIndex
CREATE INDEX "Device_residentId_idx" ON "Device"("residentId");

-- CreateIndex
CREATE INDEX "DeviceEvent_caseId_idx" ON "DeviceEvent"("caseId");

-- CreateIndex
CREATE INDEX "Responder_communityId_idx" ON "Responder"("communityId");

-- CreateIndex
CREATE INDEX "Responder_onDuty_idx" ON "Responder"("onDuty");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "User_responderId_key" ON "User"("responderId");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Case_status_idx" ON "Case"("status");

-- CreateIndex
CREATE INDEX "Case_residentId_status_idx" ON "Case"("residentId", "status");

-- CreateIndex
CREATE INDEX "Case_createdAt_idx" ON "Case"("createdAt");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_at_idx" ON "CaseEvent"("caseId", "at");

-- CreateIndex
CREATE INDEX "Offer_caseId_idx" ON "Offer"("caseId");

-- CreateIndex
CREATE INDEX "Offer_responderId_status_idx" ON "Offer"("responderId", "status");

-- CreateIndex
CREATE INDEX "Offer_status_deadline_idx" ON "Offer"("status", "deadline");

-- CreateIndex
CREATE INDEX "ServiceLog_residentId_idx" ON "ServiceLog"("residentId");

-- CreateIndex
CREATE INDEX "FollowUp_caseId_idx" ON "FollowUp"("caseId");

-- A service-request press or call becomes a service order, not a case. A second request while
-- the first one's order is open joins it: requests counts them, lastRequestAt is the latest. The
-- press that placed or joined an order names it on its DeviceEvent row.

-- AlterTable
ALTER TABLE "ServiceOrder" ADD COLUMN "requests" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "ServiceOrder" ADD COLUMN "lastRequestAt" DATETIME;

-- AlterTable
ALTER TABLE "DeviceEvent" ADD COLUMN "serviceOrderId" INTEGER;

-- CreateIndex
CREATE INDEX "ServiceOrder_residentId_status_idx" ON "ServiceOrder"("residentId", "status");

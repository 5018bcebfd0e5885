-- A responder staff assigned by hand keeps the case: relief does not offer it to anyone else. Set by
-- the engine's `assign`, cleared when a responder's own accept hands the case over; kept in the row
-- so a restart does not forget it.
ALTER TABLE "Case" ADD COLUMN "assignedByStaff" BOOLEAN NOT NULL DEFAULT false;

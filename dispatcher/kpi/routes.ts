// Device health and KPI reports for staff.
import { Router } from "express";
import type { Database } from "better-sqlite3";
import { z } from "zod";
import { KpiQuerySchema, LOW_BATTERY_PERCENT } from "../../protocol/index.ts";
import { guard, parse, STAFF } from "../edge/http.ts";
import type { SessionService } from "../auth/service.ts";
import { DEVICE_SUMMARY_SELECT, toDeviceSummary, type DeviceRow } from "../devices/heartbeats.ts";
import { computeKpis, caseTimings, toCsv } from "./kpis.ts";
import type { Clock } from "../clock.ts";

const DeviceQuery = z.object({ filter: z.enum(["all", "offline", "low_battery"]).default("all") });

export function reportRoutes(sessions: SessionService, db: Database, clock: Clock): Router {
  const r = Router();
  r.get(
    "/devices",
    guard(sessions, STAFF, (req) => {
      const { filter } = parse(DeviceQuery, req.query);
      const where =
        filter === "offline"
          ? `WHERE d.online = 0 AND d.lastSeenAt IS NOT NULL`
          : filter === "low_battery"
            ? `WHERE d.battery < ${LOW_BATTERY_PERCENT}`
            : "";
      const rows = db
        .prepare(`${DEVICE_SUMMARY_SELECT} ${where} ORDER BY d.id LIMIT 5000`)
        .all() as DeviceRow[];
      return rows.map(toDeviceSummary);
    }),
  );
  const range = (q: unknown) => {
    const k = parse(KpiQuerySchema, q);
    const startOfDay = new Date(clock.now());
    startOfDay.setHours(0, 0, 0, 0);
    const from = k.from ? Date.parse(k.from) : startOfDay.getTime();
    const to = k.to ? Date.parse(k.to) : from + 86_400_000;
    return { from, to };
  };
  r.get(
    "/kpis",
    guard(sessions, STAFF, (req) => computeKpis(db, range(req.query))),
  );
  r.get(
    "/kpis.csv",
    guard(sessions, STAFF, (req, res) => {
      const { from, to } = range(req.query);
      res
        .type("text/csv; charset=utf-8")
        .attachment(`cases-${new Date(from).toISOString().slice(0, 10)}.csv`)
        .send(toCsv(caseTimings(db, from, to)));
    }),
  );
  return r;
}

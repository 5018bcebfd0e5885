// REST calls of care operations: rosters and the duty board, service orders, reports, the daily
// check-in and the service log.
import { z } from "zod";
import {
  CheckInPlanSchema,
  CoverageAlertSchema,
  DutyBoardSchema,
  ReportSchema,
  ResponderOrdersSchema,
  RosterSchema,
  ServiceLogPageSchema,
  ServiceOrderSchema,
  type CheckInPlan,
  type CheckInPlanInput,
  type CoverageAlert,
  type OrderDoneRequest,
  type Report,
  type ReportQuery,
  type ResponderOrders,
  type Page,
  type ServiceLogEntry,
  type ServiceOrder,
  type ServiceOrderInput,
  type DutyBoard,
  type Roster,
  type ShiftExceptionInput,
  type ShiftPatternInput,
} from "../../../protocol/api.ts";
import { qs, request } from "../api.ts";
import { download } from "../registers/api.ts";
import type { ExportFormat } from "./ExportButtons.tsx";

/** Filters as query parameters; an empty one means "any". */
type LogQuery = Record<string, string | undefined>;

const orderAction = (id: number, action: string, body: unknown = {}): Promise<ServiceOrder> =>
  request("POST", `/api/service-orders/${id}/${action}`, { body, schema: ServiceOrderSchema });

export const careApi = {
  board: (hours = 24): Promise<DutyBoard> =>
    request("GET", `/api/duty-board${qs({ hours: String(hours) })}`, { schema: DutyBoardSchema }),
  coverageAlerts: (): Promise<CoverageAlert[]> =>
    request("GET", "/api/coverage-alerts", { schema: z.array(CoverageAlertSchema) }),
  acknowledgeCoverageAlert: (id: number): Promise<CoverageAlert> =>
    request("POST", `/api/coverage-alerts/${id}/ack`, { body: {}, schema: CoverageAlertSchema }),
  roster: (responderId: number): Promise<Roster> =>
    request("GET", `/api/rosters/${responderId}`, { schema: RosterSchema }),
  addPattern: (responderId: number, body: ShiftPatternInput): Promise<unknown> =>
    request("POST", `/api/rosters/${responderId}/patterns`, { body }),
  addException: (responderId: number, body: ShiftExceptionInput): Promise<unknown> =>
    request("POST", `/api/rosters/${responderId}/exceptions`, { body }),
  removePattern: (id: number): Promise<unknown> => request("DELETE", `/api/shift-patterns/${id}`),
  removeException: (id: number): Promise<unknown> => request("DELETE", `/api/shift-exceptions/${id}`),
  orders: (status = "open"): Promise<ServiceOrder[]> =>
    request("GET", `/api/service-orders${qs({ status })}`, { schema: z.array(ServiceOrderSchema) }),
  placeOrder: (body: ServiceOrderInput): Promise<ServiceOrder> =>
    request("POST", "/api/service-orders", { body, schema: ServiceOrderSchema }),
  assignOrder: (id: number, responderId: number) => orderAction(id, "assign", { responderId }),
  publishOrder: (id: number) => orderAction(id, "publish"),
  cancelOrder: (id: number, reason: string) => orderAction(id, "cancel", { reason }),
  myOrders: (): Promise<ResponderOrders> =>
    request("GET", "/api/responder/service-orders", { schema: ResponderOrdersSchema }),
  claimOrder: (id: number) => orderAction(id, "claim"),
  confirmOrder: (id: number) => orderAction(id, "confirm"),
  startOrder: (id: number) => orderAction(id, "start"),
  releaseOrder: (id: number) => orderAction(id, "release"),
  finishOrder: (id: number, body: OrderDoneRequest) => orderAction(id, "done", body),
  report: (q: Omit<ReportQuery, "lang">): Promise<Report> =>
    request("GET", `/api/reports${qs(q)}`, { schema: ReportSchema }),
  reportFile: (format: ExportFormat, q: ReportQuery): Promise<{ blob: Blob; filename: string }> =>
    download(`/api/reports.${format}${qs(q)}`),
  checkIn: (residentId: number): Promise<CheckInPlan> =>
    request("GET", `/api/residents/${residentId}/check-in`, { schema: CheckInPlanSchema }),
  setCheckIn: (residentId: number, body: CheckInPlanInput): Promise<CheckInPlan> =>
    request("PUT", `/api/residents/${residentId}/check-in`, { body, schema: CheckInPlanSchema }),
  serviceLog: (q: LogQuery): Promise<Page<ServiceLogEntry>> =>
    request("GET", `/api/service-log${qs(q)}`, { schema: ServiceLogPageSchema }),
  serviceLogFile: (format: ExportFormat, q: LogQuery): Promise<{ blob: Blob; filename: string }> =>
    download(`/api/service-log.${format}${qs(q)}`),
};

// The routes of care operations (rosters, service orders, check-in, service log, reports) for the
// OpenAPI document, beside OPERATIONS (operations.ts).
import { z } from "zod";
import {
  CaseSummarySchema,
  CheckInPlanInputSchema,
  CheckInPlanSchema,
  DutyBoardQuerySchema,
  ReportQuerySchema,
  ReportSchema,
  OrderAssignRequestSchema,
  OrderCancelRequestSchema,
  OrderDoneRequestSchema,
  ResponderOrdersSchema,
  ServiceLogPageSchema,
  ServiceLogQuerySchema,
  ServiceOrderInputSchema,
  ServiceOrderListQuerySchema,
  ServiceOrderSchema,
  DutyBoardSchema,
  RosterSchema,
  ShiftExceptionInputSchema,
  ShiftExceptionSchema,
  ShiftPatternInputSchema,
  ShiftPatternSchema,
  SkipFollowUpRequestSchema,
} from "../../protocol/index.ts";
import { csv, op, xlsxOrCsv, type Operation } from "./operations.ts";

const orderAction = (action: string, summary: string, who: Operation["who"], body?: z.ZodType) =>
  op(
    "post",
    `/api/service-orders/:id/${action}`,
    "service orders",
    summary,
    who,
    ServiceOrderSchema,
    body ? { body } : {},
  );

export const CARE_OPERATIONS: Operation[] = [
  op(
    "get",
    "/api/duty-board",
    "rosters",
    "Who is on shift now and next, and gaps in coverage ahead",
    "responder.read",
    DutyBoardSchema,
    {
      query: DutyBoardQuerySchema,
    },
  ),
  op(
    "get",
    "/api/rosters/:id",
    "rosters",
    "A responder's shift patterns, exceptions and next shifts",
    "responder.read",
    RosterSchema,
  ),
  op(
    "post",
    "/api/rosters/:id/patterns",
    "rosters",
    "Add a weekly shift pattern",
    "roster.manage",
    ShiftPatternSchema,
    {
      body: ShiftPatternInputSchema,
      status: 201,
    },
  ),
  op(
    "post",
    "/api/rosters/:id/exceptions",
    "rosters",
    "Add time off or an extra shift",
    "roster.manage",
    ShiftExceptionSchema,
    {
      body: ShiftExceptionInputSchema,
      status: 201,
    },
  ),
  op("delete", "/api/shift-patterns/:id", "rosters", "Remove a shift pattern", "roster.manage", null, {
    status: 204,
  }),
  op("delete", "/api/shift-exceptions/:id", "rosters", "Remove an exception", "roster.manage", null, {
    status: 204,
  }),

  op(
    "get",
    "/api/service-orders",
    "service orders",
    "The community queue (open orders by default)",
    "case.read",
    z.array(ServiceOrderSchema),
    {
      query: ServiceOrderListQuerySchema,
    },
  ),
  op(
    "post",
    "/api/service-orders",
    "service orders",
    "Order a service for a resident (居民点单)",
    "order.manage",
    ServiceOrderSchema,
    {
      body: ServiceOrderInputSchema,
      status: 201,
    },
  ),
  op("get", "/api/service-orders/:id", "service orders", "One order", "case.read", ServiceOrderSchema),
  orderAction("assign", "Give the order to a responder (支部派单)", "order.manage", OrderAssignRequestSchema),
  orderAction("publish", "Publish it for volunteers with the skill to claim", "order.manage"),
  orderAction("cancel", "Cancel it, with the reason", "order.manage", OrderCancelRequestSchema),
  orderAction("claim", "A volunteer of its community with the skill takes it (党员接单)", "responder.self"),
  orderAction("confirm", "The assigned responder confirms", "the assigned responder"),
  orderAction("start", "The responder is at the door", "the assigned responder"),
  orderAction("release", "The responder hands it back before starting", "the assigned responder"),
  orderAction(
    "done",
    "Done, with the visit's minutes (they count as service hours) and a report; staff may record it",
    "the assigned responder",
    OrderDoneRequestSchema,
  ),
  op(
    "get",
    "/api/responder/service-orders",
    "service orders",
    "The phone: orders it may claim and its own",
    "responder.self",
    ResponderOrdersSchema,
  ),
  op(
    "get",
    "/api/residents/:id/check-in",
    "check-in",
    "The resident's daily check-in plan and today's state",
    "resident.read",
    CheckInPlanSchema,
  ),
  op(
    "put",
    "/api/residents/:id/check-in",
    "check-in",
    "Set the hour (or turn it off)",
    "resident.care",
    CheckInPlanSchema,
    {
      body: CheckInPlanInputSchema,
    },
  ),
  op(
    "get",
    "/api/reports",
    "reports",
    "Figures per community, grid or responder, per day, week or month",
    "report.read",
    ReportSchema,
    {
      query: ReportQuerySchema,
    },
  ),
  op("get", "/api/reports.csv", "reports", "The report as CSV (headers in `lang`)", "report.read", csv, {
    query: ReportQuerySchema,
  }),
  op("get", "/api/reports.xlsx", "reports", "The report as an Excel workbook", "report.read", xlsxOrCsv, {
    query: ReportQuerySchema,
  }),
  op(
    "get",
    "/api/service-log",
    "service log",
    "Search the service log (民情日记), newest first",
    "case.read",
    ServiceLogPageSchema,
    {
      query: ServiceLogQuerySchema,
    },
  ),
  op(
    "post",
    "/api/cases/:id/skip-follow-up",
    "cases",
    "Close a resolved or cancelled case without its follow-up call, with the reason",
    "case.dispatch",
    CaseSummarySchema,
    {
      body: SkipFollowUpRequestSchema,
    },
  ),
];

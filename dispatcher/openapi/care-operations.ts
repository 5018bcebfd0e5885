// The routes of care operations (rosters, service orders, check-in, service log, reports) for the
// OpenAPI document, beside OPERATIONS (operations.ts).
import {
  DutyBoardQuerySchema,
  DutyBoardSchema,
  RosterSchema,
  ShiftExceptionInputSchema,
  ShiftExceptionSchema,
  ShiftPatternInputSchema,
  ShiftPatternSchema,
} from "../../protocol/index.ts";
import { op, type Operation } from "./operations.ts";

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
];

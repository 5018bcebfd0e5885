// REST calls of care operations: rosters and the duty board.
import {
  DutyBoardSchema,
  RosterSchema,
  type DutyBoard,
  type Roster,
  type ShiftExceptionInput,
  type ShiftPatternInput,
} from "../../../protocol/api.ts";
import { qs, request } from "../api.ts";

export const careApi = {
  board: (hours = 24): Promise<DutyBoard> =>
    request("GET", `/api/duty-board${qs({ hours: String(hours) })}`, { schema: DutyBoardSchema }),
  roster: (responderId: number): Promise<Roster> =>
    request("GET", `/api/rosters/${responderId}`, { schema: RosterSchema }),
  addPattern: (responderId: number, body: ShiftPatternInput): Promise<unknown> =>
    request("POST", `/api/rosters/${responderId}/patterns`, { body }),
  addException: (responderId: number, body: ShiftExceptionInput): Promise<unknown> =>
    request("POST", `/api/rosters/${responderId}/exceptions`, { body }),
  removePattern: (id: number): Promise<unknown> => request("DELETE", `/api/shift-patterns/${id}`),
  removeException: (id: number): Promise<unknown> => request("DELETE", `/api/shift-exceptions/${id}`),
};

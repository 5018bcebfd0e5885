// REST calls of the hotline intake: find who is calling, open (or join) a case, log a call.
import {
  CaseSummarySchema,
  IntakeResultSchema,
  type CallRequest,
  type CaseSummary,
  type IntakeRequest,
  type IntakeResult,
  type Page,
  type ResidentListItem,
} from "../../../protocol/api.ts";
import { qs, request } from "../api.ts";

/** Enough rows to recognise the caller; more means the query should be longer. */
export const SEARCH_ROWS = 8;

export const intakeApi = {
  search: (q: string): Promise<Page<ResidentListItem>> =>
    request("GET", `/api/residents${qs({ q, pageSize: String(SEARCH_ROWS) })}`),
  take: (body: IntakeRequest): Promise<IntakeResult> =>
    request("POST", "/api/cases", { body, schema: IntakeResultSchema }),
  logCall: (caseId: number, call: CallRequest): Promise<CaseSummary> =>
    request("POST", `/api/cases/${caseId}/calls`, { body: call, schema: CaseSummarySchema }),
};

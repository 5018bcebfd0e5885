// What staff look up rather than watch: the case history (closed and open cases, searched and
// paged) and the follow-up calls still to make.
import type {
  CaseHistoryPage,
  CaseHistoryQuery,
  FollowUpListQuery,
  FollowUpTask,
  User,
} from "../../protocol/index.ts";
import { communityScope, requirePermission } from "../auth/access.ts";
import type { Queryable } from "../db/sql.ts";
import { listOpen } from "./follow-up-repository.ts";
import { searchSummaries } from "./summary-repository.ts";

/** More open follow-up calls than this at once would be a backlog, not a list. */
const FOLLOW_UP_LIMIT = 1000;

export class CaseHistory {
  constructor(private readonly db: Queryable) {}

  async search(user: User, q: CaseHistoryQuery): Promise<CaseHistoryPage> {
    requirePermission(user, "case.read");
    const { items, total } = await searchSummaries(this.db, {
      resident: q.resident ?? null,
      device: q.device ?? null,
      responder: q.responder ?? null,
      type: q.type ?? null,
      status: q.status ?? null,
      from: q.from ? Date.parse(q.from) : null,
      to: q.to ? Date.parse(q.to) : null,
      communityIds: communityScope(user),
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  followUps(user: User, q: FollowUpListQuery): Promise<FollowUpTask[]> {
    requirePermission(user, "case.read");
    return listOpen(this.db, {
      dueBefore: q.dueBefore ? Date.parse(q.dueBefore) : null,
      communityIds: communityScope(user),
      limit: FOLLOW_UP_LIMIT,
    });
  }
}

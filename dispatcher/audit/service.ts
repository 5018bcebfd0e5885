// The audit log as the registers write it and staff read it. Every create/update/retire/rotate
// is recorded inside the transaction of the change itself (repository.ts), with the actor, the
// address the request came from, and the changed fields before → after; secrets never.
import {
  type AuditAction,
  type AuditEntity,
  type AuditEntryDto,
  type AuditQuery,
  type Page,
} from "../../protocol/index.ts";
import { isResponder, requirePermission, type Principal } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase, Tx } from "../db/sql.ts";
import { countAudit, listAudit, recordAudit, type AuditChanges } from "./repository.ts";

/** The actor of an audit entry. */
export function auditActor(user: Principal): {
  type: "staff" | "responder" | "family";
  id: string;
  name: string;
} {
  if (user.role === "family") return { type: "family", id: String(user.id), name: user.displayName };
  return isResponder(user)
    ? { type: "responder", id: String(user.responderId ?? user.id), name: user.displayName }
    : { type: "staff", id: String(user.id), name: user.displayName };
}

/** Writes entries inside the caller's transaction. */
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  record(
    tx: Tx,
    user: Principal,
    entry: { action: AuditAction; entity: AuditEntity; id: string | number; changes?: AuditChanges | null },
  ): Promise<void> {
    return recordAudit(tx, {
      at: this.clock.now(),
      actor: auditActor(user),
      action: entry.action,
      entity: entry.entity,
      entityId: String(entry.id),
      changes: entry.changes && Object.keys(entry.changes).length > 0 ? entry.changes : null,
      ip: user.ip ?? null,
    });
  }
}

/**
 * May `user` read this record? Each register answers for its own records (its community scope);
 * a record the caller may not read is not found.
 */
export type AuditReadCheck = (user: Principal, id: string) => Promise<void>;

export class AuditService {
  constructor(
    private readonly db: SqlDatabase,
    private readonly readable: Record<AuditEntity, AuditReadCheck>,
  ) {}

  /** A record's history for whoever may read the record; the whole log for user managers. */
  async list(user: Principal, query: AuditQuery): Promise<Page<AuditEntryDto>> {
    requirePermission(user, "audit.read");
    if (query.entity === undefined || query.id === undefined) requirePermission(user, "user.manage");
    else await this.readable[query.entity](user, query.id);
    const filter = {
      ...(query.entity !== undefined ? { entity: query.entity } : {}),
      ...(query.id !== undefined ? { entityId: query.id } : {}),
    };
    const [items, total] = await Promise.all([
      listAudit(this.db, { ...filter, limit: query.pageSize, offset: (query.page - 1) * query.pageSize }),
      countAudit(this.db, filter),
    ]);
    return { items, total, page: query.page, pageSize: query.pageSize };
  }
}

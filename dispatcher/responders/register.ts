// The responder register: enrol caregivers, volunteers, grid workers and doctors with their
// skills, transport, community, paired households (结对) and phone login; change them; retire
// them. Admins and managers do it (responder.manage), each within their communities. Matching
// sees a change at once (the registry is refreshed after each commit).
import type {
  Page,
  ResponderCreate,
  ResponderListQuery,
  ResponderPatch,
  ResponderRecord,
} from "../../protocol/index.ts";
import { createdFields, diffFields } from "../audit/repository.ts";
import type { AuditLog } from "../audit/service.ts";
import { communityScope, requireInScope, requirePermission, type Principal } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { Queryable, SqlDatabase } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import type { ResidentService } from "../residents/service.ts";
import type { UserService } from "../users/service.ts";
import * as repo from "./register-repository.ts";
import type { ResponderRegistry } from "./registry.ts";
import type { CaseWork } from "./service.ts";

export interface ResponderRegisterDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: AuditLog;
  registry: ResponderRegistry;
  residents: Pick<ResidentService, "pairedWith" | "setPairingTx">;
  users: Pick<
    UserService,
    "accountsOf" | "hashPassword" | "createResponderAccountTx" | "disableTx" | "changed"
  >;
  cases: Pick<CaseWork, "responderWork">;
  notifier: Pick<Notifier, "responderChanged">;
}

export class ResponderRegister {
  constructor(private readonly deps: ResponderRegisterDeps) {}

  async list(user: Principal, query: ResponderListQuery): Promise<Page<ResponderRecord>> {
    requirePermission(user, "responder.read");
    const { items, total } = await repo.search(this.deps.db, {
      term: query.q ? query.q.toLowerCase() : null,
      communityId: query.communityId ?? null,
      role: query.role ?? null,
      status: query.status,
      scope: communityScope(user),
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: await this.complete(this.deps.db, items),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async get(user: Principal, id: number): Promise<ResponderRecord> {
    requirePermission(user, "responder.read");
    return this.record(this.deps.db, user, id);
  }

  /** For the audit log. */
  async requireReadable(user: Principal, id: string): Promise<void> {
    if (!/^\d+$/.test(id)) throw new DomainError("not_found", `responder ${id} not found`);
    await this.get(user, Number(id));
  }

  async create(user: Principal, input: ResponderCreate): Promise<ResponderRecord> {
    requirePermission(user, "responder.manage");
    if (input.pairedResidentIds.length > 0) requirePermission(user, "resident.pairing");
    requireInScope(user, input.communityId, `community ${input.communityId}`);
    const passwordHash = input.account ? await this.deps.users.hashPassword(input.account.password) : null;
    const id = await this.deps.db.write(async (tx) => {
      if (!(await repo.communityExists(tx, input.communityId))) {
        throw new DomainError("not_found", `community ${input.communityId} not found`);
      }
      const fields = fieldsOf(input);
      const id = await repo.insertResponder(tx, fields, this.deps.clock.now());
      await this.deps.audit.record(tx, user, {
        action: "create",
        entity: "responder",
        id,
        changes: createdFields({ ...fields, pairedResidentIds: input.pairedResidentIds }),
      });
      for (const residentId of input.pairedResidentIds)
        await this.deps.residents.setPairingTx(tx, user, residentId, id);
      if (input.account && passwordHash !== null) {
        await this.deps.users.createResponderAccountTx(tx, user, {
          username: input.account.username,
          displayName: input.name,
          passwordHash,
          responderId: id,
        });
      }
      return id;
    });
    await this.announce(id);
    return this.record(this.deps.db, user, id);
  }

  async update(user: Principal, id: number, patch: ResponderPatch): Promise<ResponderRecord> {
    requirePermission(user, "responder.manage");
    if (patch.pairedResidentIds !== undefined) requirePermission(user, "resident.pairing");
    await this.deps.db.write(async (tx) => {
      const current = await this.record(tx, user, id);
      if (current.retiredAt !== null) {
        throw new DomainError("conflict", `responder ${id} is retired`, { rule: "retired" });
      }
      const before = { ...fieldsOf(current), pairedResidentIds: current.pairedResidents.map((r) => r.id) };
      const after = { ...before, ...patch };
      if (after.communityId !== before.communityId) {
        requireInScope(user, after.communityId, `community ${after.communityId}`);
        if (!(await repo.communityExists(tx, after.communityId))) {
          throw new DomainError("not_found", `community ${after.communityId} not found`);
        }
      }
      const changes = diffFields(before, after);
      if (Object.keys(changes).length === 0) return;
      await repo.updateResponder(tx, id, fieldsOf(after));
      await this.deps.audit.record(tx, user, { action: "update", entity: "responder", id, changes });
      const kept = new Set(after.pairedResidentIds);
      for (const r of before.pairedResidentIds)
        if (!kept.has(r)) await this.deps.residents.setPairingTx(tx, user, r, null);
      for (const r of after.pairedResidentIds) await this.deps.residents.setPairingTx(tx, user, r, id);
    });
    await this.announce(id);
    return this.record(this.deps.db, user, id);
  }

  /**
   * The responder keeps their history; matching never sees them again, their households are
   * unpaired and their login is disabled. Not while they hold an offer or work a case.
   */
  async retire(user: Principal, id: number): Promise<ResponderRecord> {
    requirePermission(user, "responder.manage");
    const work = (await this.deps.cases.responderWork([id])).get(id);
    if (work) {
      throw new DomainError("conflict", `responder ${id} is on case ${work.caseId}; reassign it first`, {
        rule: "responder_busy",
        caseId: work.caseId,
      });
    }
    const accountId = await this.deps.db.write(async (tx) => {
      const current = await this.record(tx, user, id);
      if (current.retiredAt !== null) {
        throw new DomainError("conflict", `responder ${id} is already retired`, { rule: "retired" });
      }
      const at = this.deps.clock.now();
      await repo.retireResponder(tx, id, at);
      await this.deps.audit.record(tx, user, {
        action: "retire",
        entity: "responder",
        id,
        changes: { retiredAt: [null, new Date(at).toISOString()] },
      });
      for (const r of current.pairedResidents) await this.deps.residents.setPairingTx(tx, user, r.id, null);
      if (current.account) await this.deps.users.disableTx(tx, user, current.account.userId);
      return current.account?.userId ?? null;
    });
    if (accountId !== null) await this.deps.users.changed(accountId);
    const entry = this.deps.registry.get(id);
    await this.deps.registry.refresh(id);
    // Consoles take them off the map.
    if (entry)
      this.deps.notifier.responderChanged(this.deps.registry.summary({ ...entry, onDuty: false }, undefined));
    return this.record(this.deps.db, user, id);
  }

  // ----

  private async record(q: Queryable, user: Principal, id: number): Promise<ResponderRecord> {
    const found = await repo.findBase(q, id);
    if (!found) throw new DomainError("not_found", `responder ${id} not found`);
    requireInScope(user, found.communityId, `responder ${id}`);
    return (await this.complete(q, [found]))[0]!;
  }

  /** Adds each responder's login and paired households. */
  private async complete(q: Queryable, base: repo.ResponderBase[]): Promise<ResponderRecord[]> {
    const ids = base.map((r) => r.id);
    const [accounts, paired] = await Promise.all([
      this.deps.users.accountsOf(q, ids),
      this.deps.residents.pairedWith(q, ids),
    ]);
    return base.map((r) => {
      const account = accounts.find((a) => a.responderId === r.id);
      return {
        ...r,
        account: account
          ? { userId: account.id, username: account.username, disabled: account.disabled }
          : null,
        pairedResidents: paired
          .filter((p) => p.pairedVolunteerId === r.id)
          .map((p) => ({ id: p.id, name: p.name, address: p.address })),
      };
    });
  }

  /** Matching and the consoles see the change at once. */
  private async announce(id: number): Promise<void> {
    const entry = await this.deps.registry.refresh(id);
    if (!entry) return;
    const work = (await this.deps.cases.responderWork([id])).get(id);
    this.deps.notifier.responderChanged(this.deps.registry.summary(entry, work));
  }
}

function fieldsOf(r: {
  name: string;
  phone: string;
  role: repo.ResponderFields["role"];
  skills: readonly string[];
  transport: string;
  communityId: number;
}): repo.ResponderFields {
  return {
    name: r.name,
    phone: r.phone,
    role: r.role,
    skills: [...r.skills],
    transport: r.transport,
    communityId: r.communityId,
  };
}

// The family circle. Staff (family.manage) invite a resident's emergency contacts and choose, per
// member, what they are told and whether they may see medical details (the resident's consent);
// every such change is audited. A member signs in with their phone and a one-time code (expiring,
// a few attempts, rate-limited) and then sees only their own elders' cases, live.
import { createHash, randomInt } from "node:crypto";
import type { Logger } from "pino";
import { RateLimiterMemory } from "rate-limiter-flexible";
import {
  normalizePhone,
  type CaseSummary,
  type FamilyCase,
  type FamilyCircle,
  type FamilyElder,
  type FamilyHome,
  type FamilyInviteResponse,
  type FamilyMember,
  type FamilyMemberPatch,
  type LoginResponse,
  type User,
} from "../../protocol/index.ts";
import type { AuditLog } from "../audit/service.ts";
import { LoginGuard } from "../auth/login-guard.ts";
import { requirePermission, requireRole, type Principal } from "../auth/access.ts";
import type { AuthService } from "../auth/service.ts";
import type { CaseService } from "../cases/service.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { familyCaseOf, isFamilyCase } from "./case-view.ts";
import { codeText } from "./messages.ts";
import * as repo from "./repository.ts";
import type { SmsGateway } from "./sms.ts";

/** A code is valid this long, for this many wrong tries. */
export const CODE_MINUTES = 30;
const CODE_ATTEMPTS = 5;
/** History shown in the family view. */
const HISTORY_LIMIT = 20;

export interface FamilyServiceDeps {
  db: SqlDatabase;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  auth: Pick<AuthService, "openSession">;
  cases: Pick<CaseService, "familyOnWay" | "summaryOf" | "timelineOf" | "casesOfResident">;
  sms: SmsGateway;
  /** The resident exists and is in the caller's scope, or not found. */
  residentReadable(user: Principal, residentId: number): Promise<void>;
}

const hashCode = (phone: string, code: string) =>
  createHash("sha256").update(`${phone}:${code}`).digest("hex");

export class FamilyService {
  /** Codes asked for per phone and per address: an SMS costs money and annoys whoever owns the number. */
  private readonly codesPerPhone = new RateLimiterMemory({ points: 3, duration: 15 * 60 });
  private readonly codesPerAddress = new RateLimiterMemory({ points: 20, duration: 60 * 60 });
  /** Wrong codes, like wrong passwords. */
  private readonly guard = new LoginGuard({ accountFailures: CODE_ATTEMPTS, addressFailures: 30 });

  constructor(private readonly deps: FamilyServiceDeps) {}

  // ---- staff ----

  async circle(user: Principal, residentId: number): Promise<FamilyCircle> {
    requirePermission(user, "family.manage");
    await this.deps.residentReadable(user, residentId);
    const facts = await this.facts(residentId);
    const members = await repo.membersOfResident(this.deps.db, residentId);
    const contacts = facts.emergencyContacts.map((c) => {
      const phone = normalizePhone(c.phone) ?? c.phone;
      return { ...c, member: members.find((m) => m.phone === phone) ?? null };
    });
    return { residentId, contacts, smsConfigured: this.deps.sms.configured };
  }

  /** Invites the emergency contact with this phone (again: a new code); the code is shown once. */
  async invite(user: Principal, residentId: number, phone: string): Promise<FamilyInviteResponse> {
    requirePermission(user, "family.manage");
    await this.deps.residentReadable(user, residentId);
    const contact = (await this.facts(residentId)).emergencyContacts.find(
      (c) => (normalizePhone(c.phone) ?? c.phone) === phone,
    );
    if (!contact) {
      throw new DomainError("bad_request", "only an emergency contact of the resident can be invited", {
        fields: [
          { path: "phone", code: "not_a_contact", message: "not an emergency contact of the resident" },
        ],
      });
    }
    const now = this.deps.clock.now();
    const code = newCode();
    const expiresAt = now + CODE_MINUTES * 60_000;
    const memberId = await this.deps.db.write(async (tx) => {
      const id = await repo.upsertMember(tx, { residentId, contact, phone, at: now });
      await repo.insertCode(tx, { phone, codeHash: hashCode(phone, code), at: now, expiresAt });
      await this.deps.audit.record(tx, user, {
        action: "update",
        entity: "resident",
        id: residentId,
        changes: { [`family.${phone}`]: [null, "invited"] },
      });
      return id;
    });
    const sentBySms = await this.deps.sms.send({
      to: phone,
      text: codeText("zh-CN", code, CODE_MINUTES),
      kind: "code",
    });
    return {
      member: await this.member(memberId),
      code,
      expiresAt: new Date(expiresAt).toISOString(),
      sentBySms,
    };
  }

  async updateMember(user: Principal, memberId: number, patch: FamilyMemberPatch): Promise<FamilyMember> {
    requirePermission(user, "family.manage");
    const before = await this.member(memberId);
    await this.deps.residentReadable(user, before.residentId);
    await this.deps.db.write(async (tx) => {
      await repo.updateMember(tx, memberId, {
        ...(patch.medicalConsent !== undefined ? { medicalConsent: patch.medicalConsent } : {}),
        ...(patch.notify !== undefined ? { notify: patch.notify } : {}),
        ...(patch.revoked ? { revokedAt: this.deps.clock.now() } : {}),
      });
      const key = `family.${before.phone}`;
      const changes: Record<string, readonly [unknown, unknown]> = {};
      if (patch.medicalConsent !== undefined && patch.medicalConsent !== before.medicalConsent) {
        changes[`${key}.medicalConsent`] = [before.medicalConsent, patch.medicalConsent];
      }
      if (patch.notify !== undefined) changes[`${key}.notify`] = [before.notify, patch.notify];
      if (patch.revoked) changes[key] = [before.revokedAt === null ? "member" : "revoked", "revoked"];
      await this.deps.audit.record(tx, user, {
        action: "update",
        entity: "resident",
        id: before.residentId,
        changes,
      });
    });
    return this.member(memberId);
  }

  // ---- signing in ----

  /** Sends a sign-in code by SMS to an invited phone; answered alike for any number (no probing). */
  async requestCode(phone: string, address: string): Promise<void> {
    try {
      await this.codesPerAddress.consume(address);
      await this.codesPerPhone.consume(phone);
    } catch {
      throw new DomainError("rate_limited", "too many codes asked for; try again later", {
        retryAfterSeconds: 900,
      });
    }
    if (!this.deps.sms.configured) return;
    if ((await repo.invitedWithPhone(this.deps.db, phone)).length === 0) return;
    const now = this.deps.clock.now();
    const code = newCode();
    await this.deps.db.write((tx) =>
      repo.insertCode(tx, {
        phone,
        codeHash: hashCode(phone, code),
        at: now,
        expiresAt: now + CODE_MINUTES * 60_000,
      }),
    );
    void this.deps.sms.send({ to: phone, text: codeText("zh-CN", code, CODE_MINUTES), kind: "code" });
  }

  /** Phone + one-time code → a session; the first time, the family account is made and joined. */
  async login(phone: string, code: string, address: string): Promise<LoginResponse> {
    const verdict = await this.guard.check(phone, address);
    if (!verdict.allowed) {
      throw new DomainError("rate_limited", "too many wrong codes; try again later", {
        retryAfterSeconds: verdict.retryAfterSeconds,
      });
    }
    const now = this.deps.clock.now();
    const live = await repo.liveCode(this.deps.db, phone, now);
    const members = await repo.invitedWithPhone(this.deps.db, phone);
    const ok = live !== undefined && live.attempts < CODE_ATTEMPTS && live.codeHash === hashCode(phone, code);
    if (!ok || members.length === 0) {
      await this.guard.failed(phone, address);
      if (live) await this.deps.db.write((tx) => repo.countAttempt(tx, live.id));
      throw new DomainError("unauthorized", "wrong or expired code");
    }
    await this.guard.succeeded(phone);
    const first = members[0]!;
    const user = await this.deps.db.write(async (tx) => {
      await repo.useCode(tx, live.id, now);
      const existing = await repo.familyUserOf(tx, phone);
      if (existing?.disabled === 1)
        throw new DomainError("forbidden", "this account is disabled", { reason: "disabled" });
      const id = existing?.id ?? (await repo.insertFamilyUser(tx, phone, first.name, now));
      await repo.joinMembers(tx, phone, id, now);
      return { id, displayName: existing?.displayName ?? first.name };
    });
    const familyUser: User = {
      id: user.id,
      username: repo.familyUsername(phone),
      displayName: user.displayName,
      role: "family",
      responderId: null,
      communityIds: null,
    };
    return this.deps.auth.openSession(familyUser, address, {
      type: "family",
      id: String(user.id),
      name: user.displayName,
    });
  }

  // ---- the family view ----

  async home(user: User): Promise<FamilyHome> {
    const memberships = await this.memberships(user);
    const elders: FamilyElder[] = [];
    for (const m of memberships) {
      const facts = await this.facts(m.residentId);
      const open = (await this.deps.cases.casesOfResident(m.residentId, { openOnly: true, limit: 5 })).find(
        isFamilyCase,
      );
      elders.push({
        residentId: m.residentId,
        name: facts.name,
        relation: m.relation,
        openCase: open ? await this.view(open, m) : null,
        medical: m.medicalConsent ? { conditions: facts.conditions, medicines: facts.medicines } : null,
      });
    }
    return { elders };
  }

  async history(user: User, residentId: number): Promise<FamilyCase[]> {
    const m = await this.membershipFor(user, residentId);
    const cases = await this.deps.cases.casesOfResident(residentId, {
      openOnly: false,
      limit: HISTORY_LIMIT,
    });
    return Promise.all(cases.filter(isFamilyCase).map((c) => this.view(c, m)));
  }

  async caseView(user: User, caseId: number): Promise<FamilyCase> {
    const { summary, member } = await this.familyCase(user, caseId);
    return this.view(summary, member);
  }

  /** "I'm on my way": on the case's timeline, for staff and the responder. */
  async onMyWay(user: User, caseId: number, etaMinutes: number | null): Promise<FamilyCase> {
    const { member } = await this.familyCase(user, caseId);
    const summary = await this.deps.cases.familyOnWay(user, caseId, etaMinutes);
    return this.view(summary, member);
  }

  /** The members to tell of a change of this resident's case (not revoked). */
  membersToTell(residentId: number): Promise<FamilyMember[]> {
    return repo
      .membersOfResident(this.deps.db, residentId)
      .then((ms) => ms.filter((m) => m.revokedAt === null));
  }

  view(summary: CaseSummary, member: FamilyMember): Promise<FamilyCase> {
    return this.deps.cases
      .timelineOf(summary.id)
      .then((timeline) => familyCaseOf(summary, timeline, member.medicalConsent));
  }

  // ---- helpers ----

  private async familyCase(
    user: User,
    caseId: number,
  ): Promise<{ summary: CaseSummary; member: FamilyMember }> {
    const memberships = await this.memberships(user);
    const summary = await this.deps.cases.summaryOf(caseId);
    const member = summary ? memberships.find((m) => m.residentId === summary.residentId) : undefined;
    if (!summary || !member || !isFamilyCase(summary))
      throw new DomainError("not_found", `case ${caseId} not found`);
    return { summary, member };
  }

  private async memberships(user: User): Promise<FamilyMember[]> {
    requireRole(user, ["family"]);
    requirePermission(user, "family.self");
    return repo.membershipsOf(this.deps.db, user.id);
  }

  /** Another resident reads as not found: a family user cannot learn who else is registered. */
  private async membershipFor(user: User, residentId: number): Promise<FamilyMember> {
    const m = (await this.memberships(user)).find((x) => x.residentId === residentId);
    if (!m) throw new DomainError("not_found", `resident ${residentId} not found`);
    return m;
  }

  private async member(id: number): Promise<FamilyMember> {
    const m = await repo.findMember(this.deps.db, id);
    if (!m) throw new DomainError("not_found", `family member ${id} not found`);
    return m;
  }

  private async facts(residentId: number): Promise<repo.ResidentFacts> {
    const f = await repo.residentFacts(this.deps.db, residentId);
    if (!f) throw new DomainError("not_found", `resident ${residentId} not found`);
    return f;
  }
}

function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

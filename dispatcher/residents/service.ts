// The resident register: search, read, enrol, change and retire residents. Who may change which
// fields is the role matrix (identity: resident.enrol, care facts: resident.care, pairing:
// resident.pairing); everything is limited to the caller's communities. Each change is one
// transaction with its audit entry and the resident's search row, so nothing is half-written.
import {
  PLATFORM_TIME_ZONE,
  haversineMeters,
  isInServiceArea,
  serviceAreaOf,
  type Caller,
  type Communities,
  type DeviceRecord,
  type Page,
  type ResidentInput,
  type ResidentListItem,
  type ResidentListQuery,
  type ResidentPatch,
  type ResidentRecord,
  type ResidentRule,
} from "../../protocol/index.ts";
import { createdFields, diffFields } from "../audit/repository.ts";
import type { AuditLog } from "../audit/service.ts";
import {
  communityScope,
  inScope,
  requireInScope,
  requirePermission,
  type Principal,
} from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { Queryable, SqlDatabase, Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import * as repo from "./repository.ts";
import {
  duplicateKey,
  localDate,
  normalizeAddress,
  permissionsForPatch,
  residentProblems,
  searchTerm,
  searchText,
  type ResidentProblem,
} from "./rules.ts";

/** What the resident register needs of the device register. */
export interface ResidentDevices {
  /** The devices of these residents, in service first. */
  recordsOf(q: Queryable, residentIds: readonly number[]): Promise<DeviceRecord[]>;
  /** Inside the retirement's transaction: retires the resident's devices (audited); their ids. */
  retireAllOf(tx: Tx, user: Principal, residentId: number): Promise<string[]>;
  /** After the commit: the broker forgets them at once. */
  revoked(deviceIds: readonly string[]): Promise<void>;
}

/** Whose case a hotline call opens: the resident and their community. */
export interface IntakeHome {
  residentId: number;
  communityId: number;
}

/** A hotline caller not in the register, as staff took it down. */
export interface UnregisteredPlace {
  location: { lat: number; lng: number };
  address: string;
  name?: string | undefined;
  caller: Caller;
}

export interface ResidentServiceDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: AuditLog;
  devices: ResidentDevices;
}

/** Rows indexed per transaction when the search table is filled at start-up. */
const INDEX_BATCH = 2000;

export class ResidentService {
  constructor(private readonly deps: ResidentServiceDeps) {}

  /** The communities (and grids) of the caller's scope, and the platform's service area. */
  async communities(user: Principal): Promise<Communities> {
    requirePermission(user, "resident.read");
    const all = await this.allCommunities();
    return { ...all, communities: all.communities.filter((c) => inScope(user, c.id)) };
  }

  /** Every community with its grids, and the service area (for the import, which checks scope per row). */
  async allCommunities(): Promise<Communities> {
    const [communities, centres] = await Promise.all([
      repo.communities(this.deps.db, null),
      repo.communityCentres(this.deps.db),
    ]);
    return { communities, serviceArea: serviceAreaOf(centres) };
  }

  async list(user: Principal, query: ResidentListQuery): Promise<Page<ResidentListItem>> {
    requirePermission(user, "resident.read");
    const { ids, total } = await repo.search(this.deps.db, {
      term: searchTerm(query.q),
      communityId: query.communityId ?? null,
      gridId: query.gridId ?? null,
      status: query.status,
      scope: communityScope(user),
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: await repo.listItems(this.deps.db, ids),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async get(user: Principal, id: number): Promise<ResidentRecord> {
    requirePermission(user, "resident.read");
    return this.record(this.deps.db, user, id);
  }

  /** For the audit log: reading a resident's history needs reading the resident. */
  async requireReadable(user: Principal, id: string): Promise<void> {
    requirePermission(user, "resident.read");
    const found = /^\d+$/.test(id) ? await repo.findRecord(this.deps.db, Number(id)) : null;
    if (!found) throw new DomainError("not_found", `resident ${id} not found`);
    requireInScope(user, found.communityId, `resident ${id}`);
  }

  async create(user: Principal, input: ResidentInput): Promise<ResidentRecord> {
    requirePermission(user, "resident.enrol");
    const id = await this.deps.db.write((tx) => this.enrolTx(tx, user, input));
    return this.record(this.deps.db, user, id);
  }

  /** Inside a transaction (one enrolment, or a whole import): checks, writes, audits, indexes. */
  async enrolTx(tx: Tx, user: Principal, input: ResidentInput): Promise<number> {
    requireInScope(user, input.communityId, `community ${input.communityId}`);
    await this.check(tx, input, null);
    const id = await repo.insertResident(tx, input, this.deps.clock.now());
    await this.deps.audit.record(tx, user, {
      action: "create",
      entity: "resident",
      id,
      changes: createdFields(input),
    });
    await this.reindex(tx, [id]);
    return id;
  }

  /** A resident in service with the same name, birth date and address, if any. */
  async findDuplicate(
    q: Queryable,
    f: { name: string; birthDate: string; address: string },
    except: number | null = null,
  ) {
    const key = duplicateKey(f);
    const twin = (await repo.sameNameAndBirthDate(q, f.name, f.birthDate)).find(
      (r) => r.id !== except && duplicateKey({ ...f, address: r.address }) === key,
    );
    return twin?.id ?? null;
  }

  async update(user: Principal, id: number, patch: ResidentPatch): Promise<ResidentRecord> {
    for (const permission of permissionsForPatch(patch)) requirePermission(user, permission);
    await this.deps.db.write(async (tx) => {
      const current = await this.record(tx, user, id);
      if (current.retiredAt !== null) throw conflict("retired", `resident ${id} is retired`);
      const before = repo.fieldsOf(current);
      const after: repo.ResidentFields = { ...before, ...patch };
      if (after.communityId !== before.communityId) {
        requireInScope(user, after.communityId, `community ${after.communityId}`);
      }
      const changes = diffFields(before, after);
      if (Object.keys(changes).length === 0) return;
      await this.check(tx, after, id, Object.keys(changes));
      await repo.updateResident(tx, id, after);
      await this.deps.audit.record(tx, user, { action: "update", entity: "resident", id, changes });
      await this.reindex(tx, [id]);
    });
    return this.record(this.deps.db, user, id);
  }

  /** The resident keeps their history; their devices are retired with them and stop at once. */
  async retire(user: Principal, id: number): Promise<ResidentRecord> {
    requirePermission(user, "resident.enrol");
    const devices = await this.deps.db.write(async (tx) => {
      const current = await this.record(tx, user, id);
      if (current.retiredAt !== null) throw conflict("retired", `resident ${id} is already retired`);
      const at = this.deps.clock.now();
      await repo.retireResident(tx, id, at);
      const retired = await this.deps.devices.retireAllOf(tx, user, id);
      await this.deps.audit.record(tx, user, {
        action: "retire",
        entity: "resident",
        id,
        changes: {
          retiredAt: [null, new Date(at).toISOString()],
          ...(current.pairedVolunteer ? { pairedVolunteerId: [current.pairedVolunteer.id, null] } : {}),
        },
      });
      await this.reindex(tx, [id]);
      return retired;
    });
    await this.deps.devices.revoked(devices);
    return this.record(this.deps.db, user, id);
  }

  // ---- for the responder register: pairing (结对) ----

  /** Households paired with these responders. */
  pairedWith(q: Queryable, responderIds: readonly number[]) {
    return repo.pairedWith(q, responderIds);
  }

  /**
   * Inside the responder register's transaction: pairs a household with a volunteer (or with
   * nobody), audited on the resident. The caller checked resident.pairing.
   */
  async setPairingTx(tx: Tx, user: Principal, residentId: number, volunteerId: number | null): Promise<void> {
    const current = await this.record(tx, user, residentId);
    if (current.retiredAt !== null) throw conflict("retired", `resident ${residentId} is retired`);
    const before = current.pairedVolunteer?.id ?? null;
    if (before === volunteerId) return;
    await repo.setPairing(tx, residentId, volunteerId);
    await this.deps.audit.record(tx, user, {
      action: "update",
      entity: "resident",
      id: residentId,
      changes: { pairedVolunteerId: [before, volunteerId] },
    });
  }

  // ---- for the hotline intake ----

  /** The resident a call names: of the caller's scope (else not found) and in service. */
  async forIntake(q: Queryable, user: Principal, id: number): Promise<IntakeHome> {
    const r = await repo.intakeResident(q, id);
    if (!r || r.unregistered === 1 || !inScope(user, r.communityId)) {
      throw new DomainError("not_found", `resident ${id} not found`);
    }
    if (r.retiredAt !== null) throw conflict("retired", `resident ${id} is retired and gets no new cases`);
    return { residentId: r.id, communityId: r.communityId };
  }

  /**
   * Inside the intake's transaction: a record for a caller not in the register, at the place
   * staff picked on the map, filed under the nearest community. A place outside the service area
   * is refused like a mistyped home at enrolment; one nearest a community outside the caller's
   * scope is not theirs to take.
   */
  async placeUnregisteredTx(tx: Tx, user: Principal, place: UnregisteredPlace): Promise<IntakeHome> {
    const centres = await repo.communityCentres(tx);
    const area = serviceAreaOf(centres);
    if (area === null || !isInServiceArea(area, place.location)) {
      throw new DomainError("bad_request", "location: outside_service_area", {
        fields: [
          {
            path: "location",
            code: "custom",
            message: "the place is outside the platform's service area",
            rule: "outside_service_area",
          },
        ],
      });
    }
    const { lat, lng } = place.location;
    const nearest = centres.reduce((a, b) =>
      haversineMeters(lat, lng, b.lat, b.lng) < haversineMeters(lat, lng, a.lat, a.lng) ? b : a,
    );
    if (!inScope(user, nearest.id)) {
      throw new DomainError(
        "forbidden",
        `the place lies in community ${nearest.id}, outside your communities`,
      );
    }
    const grid = await repo.firstGridOf(tx, nearest.id);
    if (!grid)
      throw new DomainError("conflict", `community ${nearest.id} has no grid to file the caller under`);
    const { caller } = place;
    const self = caller.relation === "resident";
    const name = place.name ?? (self ? caller.name : undefined) ?? "";
    // The caller is who to ring back: the resident's own phone, or a contact's.
    const contacts = self
      ? []
      : [{ name: caller.name ?? "", relation: caller.relation, phone: caller.phone }];
    const at = this.deps.clock.now();
    const id = await repo.insertUnregistered(tx, {
      name,
      phone: self ? caller.phone : "",
      address: place.address,
      lat,
      lng,
      communityId: nearest.id,
      gridId: grid.id,
      emergencyContacts: contacts,
      at,
    });
    await this.deps.audit.record(tx, user, {
      action: "create",
      entity: "resident",
      id,
      changes: { unregistered: [null, true], name: [null, name], address: [null, place.address] },
    });
    return { residentId: id, communityId: nearest.id };
  }

  /** Fills the search rows of residents that have none (a seeded city, an older database). */
  async indexMissing(): Promise<number> {
    let done = 0;
    for (;;) {
      const ids = await repo.unindexed(this.deps.db, INDEX_BATCH);
      if (ids.length === 0) return done;
      await this.deps.db.write((tx) => this.reindex(tx, ids));
      done += ids.length;
    }
  }

  /** Inside a register's transaction: the search rows of these residents follow their records. */
  async reindex(tx: Tx, ids: readonly number[]): Promise<void> {
    for (const s of await repo.searchSources(tx, ids)) {
      await repo.saveSearchRow(tx, {
        residentId: s.id,
        communityId: s.communityId,
        gridId: s.gridId,
        retired: s.retired,
        text: searchText(s),
      });
    }
  }

  /** A resident of the caller's scope, or not found. */
  private async record(q: Queryable, user: Principal, id: number): Promise<ResidentRecord> {
    const found = await repo.findRecord(q, id);
    if (!found) throw new DomainError("not_found", `resident ${id} not found`);
    requireInScope(user, found.communityId, `resident ${id}`);
    return { ...found, devices: await this.deps.devices.recordsOf(q, [id]) };
  }

  /**
   * The rules beyond the fields' shapes, for a new record (`id` null) or a change (only the
   * rules of the `changed` fields), and no other resident in service with the same name, birth
   * date and address.
   */
  private async check(tx: Tx, f: repo.ResidentFields, id: number | null, changed?: string[]): Promise<void> {
    const touched = (...fields: string[]) => changed === undefined || fields.some((x) => changed.includes(x));
    const [grid, communities, volunteer] = await Promise.all([
      repo.findGrid(tx, f.gridId),
      repo.communityCentres(tx),
      f.pairedVolunteerId === null ? undefined : repo.findResponder(tx, f.pairedVolunteerId),
    ]);
    const problems = residentProblems(f, {
      gridCommunityId: grid?.communityId ?? null,
      communityExists: communities.some((c) => c.id === f.communityId),
      area: serviceAreaOf(communities),
      today: localDate(this.deps.clock.now(), PLATFORM_TIME_ZONE),
      ...(volunteer === undefined ? {} : { volunteer: volunteer.retiredAt === null ? volunteer : null }),
    }).filter((p) => touched(...fieldsOfProblem(p)));
    if (problems.length > 0) throw invalid(problems);
    if (f.birthDate !== "" && touched("name", "birthDate", "address")) {
      const twin = await this.findDuplicate(tx, f, id);
      if (twin !== null) {
        throw new DomainError(
          "conflict",
          `a resident with the same name, birth date and address is already enrolled (resident ${twin})`,
          { rule: "duplicate_resident", duplicateOf: twin, address: normalizeAddress(f.address) },
        );
      }
    }
  }
}

/** The fields a problem is about (a location problem concerns both coordinates). */
function fieldsOfProblem(p: ResidentProblem): string[] {
  if (p.field === "lat") return ["lat", "lng"];
  if (p.field === "gridId") return ["gridId", "communityId"];
  return [p.field];
}

function invalid(problems: ResidentProblem[]): DomainError {
  return new DomainError("bad_request", problems.map((p) => `${p.field}: ${p.rule}`).join("; "), {
    fields: problems.map((p) => ({ path: p.field, code: "custom", message: p.rule, rule: p.rule })),
  });
}

function conflict(rule: ResidentRule, message: string): DomainError {
  return new DomainError("conflict", message, { rule });
}

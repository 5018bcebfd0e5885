// Supervision profiles per device kind: read by staff who may see devices, changed by those who
// manage them (audited in the same transaction). The sweeps read them from the database at each
// run, so a change applies at the next sweep and on every instance, and a restart forgets nothing.
import {
  DEFAULT_SUPERVISION_PROFILES,
  DEVICE_KINDS,
  type DeviceKind,
  type SupervisionProfile,
  type SupervisionProfileInput,
} from "../../protocol/index.ts";
import { requirePermission, type Principal } from "../auth/access.ts";
import { diffFields } from "../audit/repository.ts";
import type { AuditLog } from "../audit/service.ts";
import type { Clock } from "../clock.ts";
import type { Queryable, SqlDatabase } from "../db/sql.ts";
import * as repo from "./profile-repository.ts";

export type Profiles = Readonly<Record<DeviceKind, SupervisionProfileInput & { updatedAt: number | null }>>;

/** Every kind's stored profile; a kind without a row (added since) has the default. */
export async function loadProfiles(q: Queryable): Promise<Profiles> {
  const stored = new Map((await repo.allProfiles(q)).map((p) => [p.kind, p]));
  return Object.fromEntries(
    DEVICE_KINDS.map((kind) => [
      kind,
      stored.get(kind) ?? { ...DEFAULT_SUPERVISION_PROFILES[kind], updatedAt: null },
    ]),
  ) as unknown as Profiles;
}

export class SupervisionProfiles {
  constructor(private readonly deps: { db: SqlDatabase; clock: Clock; audit: AuditLog }) {}

  /** At start: every kind has its stored row, so the sweeps' SQL reads each kind's own profile. */
  async addMissing(): Promise<void> {
    await this.deps.db.write(async (tx) => {
      for (const kind of DEVICE_KINDS)
        await repo.addMissingProfile(tx, kind, DEFAULT_SUPERVISION_PROFILES[kind]);
    });
  }

  async list(user: Principal): Promise<SupervisionProfile[]> {
    requirePermission(user, "device.read");
    const profiles = await loadProfiles(this.deps.db);
    return DEVICE_KINDS.map((kind) => toDto(kind, profiles[kind]));
  }

  async update(
    user: Principal,
    kind: DeviceKind,
    input: SupervisionProfileInput,
  ): Promise<SupervisionProfile> {
    requirePermission(user, "device.manage");
    const now = this.deps.clock.now();
    await this.deps.db.write(async (tx) => {
      const { updatedAt: _, ...before } = (await loadProfiles(tx))[kind];
      const changes = diffFields(before, input);
      if (Object.keys(changes).length === 0) return;
      await repo.saveProfile(tx, kind, input, now);
      await this.deps.audit.record(tx, user, {
        action: "update",
        entity: "supervision_profile",
        id: kind,
        changes,
      });
    });
    return toDto(kind, (await loadProfiles(this.deps.db))[kind]);
  }
}

function toDto(kind: DeviceKind, p: Profiles[DeviceKind]): SupervisionProfile {
  return {
    kind,
    heartbeatSeconds: p.heartbeatSeconds,
    missedBeatsOffline: p.missedBeatsOffline,
    neverConnectedHours: p.neverConnectedHours,
    replaceAfterMinutes: p.replaceAfterMinutes,
    updatedAt: p.updatedAt === null ? null : new Date(p.updatedAt).toISOString(),
  };
}

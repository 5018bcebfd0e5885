// The device register: enrol a call device for a resident, give it a new secret, move it to
// another resident or change its supervision profile, retire it. A secret is made here, returned
// once and stored only as a hash; the broker hears of every change at once (DeviceAccounts), so
// an old secret or a retired device stops working in the same moment.
import type { Logger } from "pino";
import type { DeviceAccounts } from "../../broker/accounts.ts";
import { hashDeviceSecret } from "../../broker/device-secret.ts";
import { HIDDEN } from "../../protocol/process.ts";
import {
  DEFAULT_SUPERVISION_PROFILES,
  type DeviceCreate,
  type DevicePatch,
  type DeviceRecord,
  type DeviceWithSecret,
} from "../../protocol/index.ts";
import { createdFields, diffFields } from "../audit/repository.ts";
import type { AuditLog } from "../audit/service.ts";
import { requireInScope, requirePermission, type Principal } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { Queryable, SqlDatabase, Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import * as repo from "./register-repository.ts";
import { findSummary } from "./repository.ts";
import { generateDeviceId, generateDeviceSecret } from "./secret.ts";

export interface DeviceRegisterDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: AuditLog;
  /** The broker's side of device accounts; null when an external broker has none wired. */
  accounts: () => DeviceAccounts | null;
  notifier: Pick<Notifier, "deviceChanged">;
  logger: Logger;
}

const SECRET_CHANGE = { secret: [HIDDEN, HIDDEN] } as const;

export class DeviceRegister {
  constructor(private readonly deps: DeviceRegisterDeps) {}

  async get(user: Principal, id: string): Promise<DeviceRecord> {
    requirePermission(user, "device.read");
    return this.record(this.deps.db, user, id);
  }

  /** For the audit log: a device's history needs reading the device. */
  async requireReadable(user: Principal, id: string): Promise<void> {
    await this.get(user, id);
  }

  async create(user: Principal, input: DeviceCreate): Promise<DeviceWithSecret> {
    requirePermission(user, "device.manage");
    const { id, secret } = await this.deps.db.write((tx) => this.enrolTx(tx, user, input));
    await this.provisioned([{ id, secret }]);
    return { device: await this.record(this.deps.db, user, id), secret };
  }

  /** Inside a transaction (one enrolment, or a whole import); call provisioned() after the commit. */
  async enrolTx(
    tx: Tx,
    user: Principal,
    input: Pick<DeviceCreate, "residentId" | "kind"> & Partial<Omit<DeviceCreate, "residentId" | "kind">>,
  ): Promise<{ id: string; secret: string }> {
    await this.requireResidentInService(tx, user, input.residentId);
    const id = input.id ?? (await this.freeId(tx));
    if (await repo.idTaken(tx, id)) {
      throw new DomainError("conflict", `device id ${id} is already in use`, { rule: "device_id_taken", id });
    }
    const secret = generateDeviceSecret();
    // Without its own heartbeat settings a device follows its kind's supervision profile.
    const ownSupervision = input.heartbeatSeconds !== undefined || input.missedBeatsOffline !== undefined;
    const profile = DEFAULT_SUPERVISION_PROFILES[input.kind];
    const fields = {
      residentId: input.residentId,
      kind: input.kind,
      heartbeatSeconds: input.heartbeatSeconds ?? profile.heartbeatSeconds,
      missedBeatsOffline: input.missedBeatsOffline ?? profile.missedBeatsOffline,
      ownSupervision,
    };
    await repo.insertDevice(tx, {
      id,
      ...fields,
      secretHash: hashDeviceSecret(secret),
      at: this.deps.clock.now(),
    });
    await this.deps.audit.record(tx, user, {
      action: "create",
      entity: "device",
      id,
      changes: { id: [null, id], ...createdFields(fields), ...SECRET_CHANGE },
    });
    return { id, secret };
  }

  /** After the commit of enrolments: the broker lets these devices in with their secrets. */
  async provisioned(devices: readonly { id: string; secret: string }[]): Promise<void> {
    for (const d of devices) await this.tellBroker(d.id, (a) => a.provision(d.id, d.secret));
  }

  /** Whether a device id was ever given out (retired ids are not given out again). */
  idTaken(q: Queryable, id: string): Promise<boolean> {
    return repo.idTaken(q, id);
  }

  /** A new secret: the old one stops working at once, also for a session that is open now. */
  async rotateSecret(user: Principal, id: string): Promise<DeviceWithSecret> {
    requirePermission(user, "device.manage");
    const secret = generateDeviceSecret();
    await this.deps.db.write(async (tx) => {
      await this.inService(tx, user, id);
      await repo.setSecretHash(tx, id, hashDeviceSecret(secret));
      await this.deps.audit.record(tx, user, {
        action: "rotate_secret",
        entity: "device",
        id,
        changes: SECRET_CHANGE,
      });
    });
    await this.tellBroker(id, (a) => a.provision(id, secret));
    return { device: await this.record(this.deps.db, user, id), secret };
  }

  /** Moves the device to another resident, or changes its kind or supervision profile. */
  async update(user: Principal, id: string, patch: DevicePatch): Promise<DeviceRecord> {
    requirePermission(user, "device.manage");
    await this.deps.db.write(async (tx) => {
      const current = await this.inService(tx, user, id);
      const before = {
        residentId: current.residentId,
        kind: current.kind,
        heartbeatSeconds: current.heartbeatSeconds,
        missedBeatsOffline: current.missedBeatsOffline,
        ownSupervision: current.ownSupervision,
      };
      const own =
        patch.ownSupervision ??
        (patch.heartbeatSeconds !== undefined ||
          patch.missedBeatsOffline !== undefined ||
          before.ownSupervision);
      const after = { ...before, ...patch, ownSupervision: own };
      const changes = diffFields(before, after);
      if (Object.keys(changes).length === 0) return;
      if (after.residentId !== before.residentId)
        await this.requireResidentInService(tx, user, after.residentId);
      await repo.updateDevice(tx, id, after);
      await this.deps.audit.record(tx, user, { action: "update", entity: "device", id, changes });
    });
    return this.record(this.deps.db, user, id);
  }

  async retire(user: Principal, id: string): Promise<DeviceRecord> {
    requirePermission(user, "device.manage");
    await this.deps.db.write(async (tx) => {
      await this.inService(tx, user, id);
      await this.retireTx(tx, user, id);
    });
    await this.revoked([id]);
    return this.record(this.deps.db, user, id);
  }

  // ---- for the resident register ----

  recordsOf(q: Queryable, residentIds: readonly number[]): Promise<DeviceRecord[]> {
    return repo.recordsOf(q, residentIds);
  }

  /** Inside a resident's retirement: retires the resident's devices, each with its audit entry. */
  async retireAllOf(tx: Tx, user: Principal, residentId: number): Promise<string[]> {
    const ids = await repo.activeDevicesOf(tx, residentId);
    for (const id of ids) await this.retireTx(tx, user, id);
    return ids;
  }

  /** After the commit: the broker refuses these devices from now on and ends their sessions. */
  async revoked(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      await this.tellBroker(id, (a) => a.revoke(id));
      const summary = await findSummary(this.deps.db, id);
      if (summary) this.deps.notifier.deviceChanged({ ...summary, online: false });
    }
  }

  // ----

  private async retireTx(tx: Tx, user: Principal, id: string): Promise<void> {
    const at = this.deps.clock.now();
    await repo.retireDevice(tx, id, at);
    await this.deps.audit.record(tx, user, {
      action: "retire",
      entity: "device",
      id,
      changes: { retiredAt: [null, new Date(at).toISOString()] },
    });
  }

  private async record(q: Queryable, user: Principal, id: string): Promise<DeviceRecord> {
    const found = await repo.findRecord(q, id);
    if (!found) throw new DomainError("not_found", `device ${id} not found`);
    requireInScope(user, found.communityId, `device ${id}`);
    return found;
  }

  /** A device of the caller's scope that is not retired. */
  private async inService(tx: Tx, user: Principal, id: string): Promise<DeviceRecord> {
    const found = await this.record(tx, user, id);
    if (found.retiredAt !== null) {
      throw new DomainError("conflict", `device ${id} is retired`, { rule: "retired", id });
    }
    return found;
  }

  private async requireResidentInService(tx: Tx, user: Principal, residentId: number): Promise<void> {
    const r = await repo.findResident(tx, residentId);
    if (!r) throw new DomainError("not_found", `resident ${residentId} not found`);
    requireInScope(user, r.communityId, `resident ${residentId}`);
    if (r.retiredAt !== null) {
      throw new DomainError("conflict", `resident ${residentId} is retired`, { rule: "retired", residentId });
    }
  }

  private async freeId(q: Queryable): Promise<string> {
    for (;;) {
      const id = generateDeviceId();
      if (!(await repo.idTaken(q, id))) return id;
    }
  }

  /** The platform's store is the truth: a broker that cannot be told is logged, the change stands. */
  private async tellBroker(deviceId: string, call: (a: DeviceAccounts) => Promise<void>): Promise<void> {
    const accounts = this.deps.accounts();
    if (!accounts) {
      this.deps.logger.warn(
        { deviceId },
        "no broker account port: the external broker must be told of this device",
      );
      return;
    }
    await call(accounts).catch((err: unknown) =>
      this.deps.logger.error({ err, deviceId }, "telling the broker about a device change failed"),
    );
  }
}

// The device-health list staff look at, and the credentials the broker checks.
import type { DeviceFilter, DeviceSummary, User } from "../../protocol/index.ts";
import { communityScope, requirePermission } from "../auth/access.ts";
import type { SqlDatabase } from "../db/sql.ts";
import * as repo from "./repository.ts";

/** The console lists at most this many devices at once. */
const LIST_LIMIT = 5000;

export class DeviceService {
  constructor(private readonly db: SqlDatabase) {}

  list(user: User, filter: DeviceFilter): Promise<DeviceSummary[]> {
    requirePermission(user, "device.read");
    return repo.listSummaries(this.db, filter, LIST_LIMIT, communityScope(user));
  }

  /** The broker's lookup: the device's stored secret hash, or null for an unknown id. */
  credentialOf(deviceId: string): Promise<{ secretHash: string } | null> {
    return repo.findCredential(this.db, deviceId);
  }
}

// The device-health list staff look at, and the credentials the broker checks.
import {
  TEST_PRESS_DUE_DAYS,
  type DeviceListQuery,
  type DevicePage,
  type User,
} from "../../protocol/index.ts";
import { communityScope, requirePermission } from "../auth/access.ts";
import { systemClock, type Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import * as repo from "./repository.ts";

const DAY_MS = 86_400_000;

export class DeviceService {
  constructor(
    private readonly db: SqlDatabase,
    /** The stand-alone broker only checks credentials and never asks for the time. */
    private readonly clock: Clock = systemClock,
  ) {}

  /** One page of the device-health list, filtered, searched and sorted by the database. */
  async list(user: User, query: DeviceListQuery): Promise<DevicePage> {
    requirePermission(user, "device.read");
    const page = await repo.listPage(this.db, {
      filter: query.filter,
      search: query.q ? query.q : null,
      sort: query.sort,
      dir: query.dir,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
      testDueBefore: this.clock.now() - TEST_PRESS_DUE_DAYS * DAY_MS,
      communityIds: communityScope(user),
    });
    return { ...page, page: query.page, pageSize: query.pageSize };
  }

  /** The broker's lookup: the device's stored secret hash, or null for an unknown id. */
  credentialOf(deviceId: string): Promise<{ secretHash: string } | null> {
    return repo.findCredential(this.db, deviceId);
  }
}

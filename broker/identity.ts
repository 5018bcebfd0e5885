// Who is behind a connection, decided once at CONNECT and read by the ACL on every packet.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Client } from "aedes";
import { topics } from "../protocol/mqtt.ts";

export type Identity = { kind: "service"; username: string } | DeviceIdentity;

export interface DeviceIdentity {
  kind: "device";
  deviceId: string;
  /** The only topics it may publish to, spelled out once so the ACL compares strings. */
  events: string;
  status: string;
  denials: number;
  /** The stored hash the device proved its secret against (see embedded-accounts.ts). */
  secretHash: string;
}

export function deviceIdentity(deviceId: string, secretHash: string): DeviceIdentity {
  return {
    kind: "device",
    deviceId,
    events: topics.events(deviceId),
    status: topics.status(deviceId),
    denials: 0,
    secretHash,
  };
}

/** Identities of authenticated clients; entries vanish with the client objects. */
export type IdentityMap = WeakMap<Client, Identity>;

/** Full-rights accounts (the dispatcher). Checked before devices, so a device id equal to a
 * service username can never log in as a device. */
export class ServiceUsers {
  private readonly users: Map<string, Buffer>;

  constructor(users: { username: string; password: string }[]) {
    this.users = new Map(users.map((u) => [u.username, digest(u.password)]));
  }

  has(username: string | undefined): boolean {
    return username !== undefined && this.users.has(username);
  }

  /** Constant-time over the password: both sides are compared as fixed-length digests. */
  verify(username: string, password: Buffer | undefined): boolean {
    const expected = this.users.get(username);
    if (!expected || !password) return false;
    return timingSafeEqual(digest(password), expected);
  }
}

function digest(value: string | Buffer): Buffer {
  return createHash("sha256").update(value).digest();
}

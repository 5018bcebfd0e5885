// The configuration file of Mosquitto's dynamic-security plugin, written before the broker
// first starts: the admin and platform accounts, and optionally a fleet of devices whose
// secrets are known (a factory list). Later changes go through the live API (accounts.ts),
// which rewrites the whole file on every command — fine for one device, far too slow for
// importing thousands. Passwords are hashed as the plugin does (PBKDF2-SHA512, 12-byte salt,
// 101 iterations; mosquitto 2.0 plugins/dynamic-security/auth.c).
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { DeviceIdSchema } from "../../protocol/mqtt.ts";
import { ADMIN_ROLE, DEFAULT_ACL_ACCESS, PLATFORM_ROLE, deviceRole, type Role } from "./dynsec-roles.ts";

const ITERATIONS = 101;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

export interface Account {
  username: string;
  password: string;
}

export interface DynsecSeed {
  admin: Account;
  /** The platform's service account (BROKER_SERVICE_USER / BROKER_SERVICE_PASSWORD). */
  service: Account;
  devices?: readonly { id: string; secret: string }[];
}

interface DynsecClient {
  username: string;
  clientid?: string;
  roles: { rolename: string }[];
  password: string;
  salt: string;
  iterations: number;
}

export interface DynsecConfig {
  defaultACLAccess: typeof DEFAULT_ACL_ACCESS;
  clients: DynsecClient[];
  groups: never[];
  roles: Role[];
}

export function dynsecConfig(seed: DynsecSeed): DynsecConfig {
  const devices = seed.devices ?? [];
  for (const d of devices) DeviceIdSchema.parse(d.id);
  return {
    defaultACLAccess: DEFAULT_ACL_ACCESS,
    clients: [
      client(seed.admin.username, seed.admin.password, ADMIN_ROLE),
      client(seed.service.username, seed.service.password, PLATFORM_ROLE),
      // Client id bound to the username: a device may only use its own session [MQTT-3.1.4-2].
      ...devices.map((d) => client(d.id, d.secret, deviceRole(d.id), d.id)),
    ],
    groups: [],
    roles: [ADMIN_ROLE, PLATFORM_ROLE, ...devices.map((d) => deviceRole(d.id))],
  };
}

export function writeDynsecConfig(file: string, seed: DynsecSeed): void {
  writeFileSync(file, JSON.stringify(dynsecConfig(seed)), { mode: 0o600 });
}

function client(username: string, password: string, role: Role, clientid?: string): DynsecClient {
  const salt = randomBytes(SALT_BYTES);
  return {
    username,
    ...(clientid ? { clientid } : {}),
    roles: [{ rolename: role.rolename }],
    password: pbkdf2Sync(password, salt, ITERATIONS, HASH_BYTES, "sha512").toString("base64"),
    salt: salt.toString("base64"),
    iterations: ITERATIONS,
  };
}

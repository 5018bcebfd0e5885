// Who may do what on a Mosquitto broker run with the dynamic-security plugin (Mosquitto ≥ 2.0),
// mirroring the embedded broker's ACL (acl.ts): a device publishes only its own events and
// status and subscribes only to its own acks; the platform's service account reads every
// device's events and status and writes every device's acks; the admin account manages
// accounts through $CONTROL. Mosquitto 2.0's dynamic-security ACLs cannot refer to the client's
// own id (%c arrives in 2.1), so every device gets a role of its own with literal topics.
import { topics } from "../../protocol/mqtt.ts";

export type AclType =
  | "publishClientSend"
  | "publishClientReceive"
  | "subscribeLiteral"
  | "subscribePattern"
  | "unsubscribeLiteral"
  | "unsubscribePattern";

export interface Acl {
  acltype: AclType;
  topic: string;
  allow: boolean;
  priority?: number;
}

export interface Role {
  rolename: string;
  textname?: string;
  acls: Acl[];
}

/** Anything not granted by a role is refused (unsubscribing is harmless). */
export const DEFAULT_ACL_ACCESS = {
  publishClientSend: false,
  publishClientReceive: false,
  subscribe: false,
  unsubscribe: true,
} as const;

const CONTROL = "$CONTROL/dynamic-security/#";
const allow = (acltype: AclType, topic: string): Acl => ({ acltype, topic, allow: true });

export const ADMIN_ROLE: Role = {
  rolename: "eldercare-admin",
  textname: "manages device accounts",
  acls: [
    allow("publishClientSend", CONTROL),
    allow("publishClientReceive", CONTROL),
    allow("subscribePattern", CONTROL),
  ],
};

export const PLATFORM_ROLE: Role = {
  rolename: "eldercare-platform",
  textname: "the dispatcher: device events and status in, acks out",
  acls: [
    allow("publishClientSend", topics.ack("+")),
    allow("subscribePattern", topics.allEvents),
    allow("subscribePattern", topics.allStatus),
    allow("publishClientReceive", topics.allEvents),
    allow("publishClientReceive", topics.allStatus),
  ],
};

export const deviceRoleName = (deviceId: string) => `eldercare-device-${deviceId}`;

export function deviceRole(deviceId: string): Role {
  return {
    rolename: deviceRoleName(deviceId),
    acls: [
      allow("publishClientSend", topics.events(deviceId)),
      allow("publishClientSend", topics.status(deviceId)),
      allow("subscribeLiteral", topics.ack(deviceId)),
      allow("publishClientReceive", topics.ack(deviceId)),
    ],
  };
}

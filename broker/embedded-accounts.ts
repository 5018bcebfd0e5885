// DeviceAccounts for the embedded broker. It authenticates devices against the platform's own
// Device table (through the credential cache), so provisioning needs no copy of the secret here:
// the cached answer is dropped, and a live session that proved an older secret — or belongs to a
// retired device — is closed at once. Closing without DISCONNECT publishes the device's Last
// Will, so staff see it go offline.
//
// In a broker cluster the platform changes a device on one node (the leader's) while the device
// may be connected to any other. So every change is also announced to the other nodes on an
// internal topic of the message router ($SYS, which no device may use): each drops its cached
// answer, reads the device again and ends a session the stored secret no longer matches.
import type { Aedes, AedesPublishPacket, Client, PublishPacket } from "aedes";
import type { Logger } from "pino";
import type { DeviceAccounts } from "./accounts.ts";
import type { CredentialCache } from "./credential-cache.ts";
import { verifyDeviceSecret } from "./device-secret.ts";
import type { IdentityMap } from "./identity.ts";

/** A connect whose lookup started before a change may finish after it; such connects are
 * checked again when they register, for this long after the change. */
const RECHECK_MS = 60_000;

/** `$SYS/<node id>/eldercare/account`, the payload a device id (as aedes' own `new/clients`). */
const ANNOUNCE = (nodeId: string) => `$SYS/${nodeId}/eldercare/account`;
const ANNOUNCED = "$SYS/+/eldercare/account";

export interface EmbeddedAccountsDeps {
  aedes: Aedes;
  credentials: CredentialCache;
  identities: IdentityMap;
  logger: Logger;
  now?: () => number;
}

export function createEmbeddedAccounts(deps: EmbeddedAccountsDeps): DeviceAccounts {
  const { aedes, credentials, identities, logger } = deps;
  const now = deps.now ?? Date.now;
  const live = new Map<string, Client>();
  const changedAt = new Map<string, number>();

  const deviceOf = (client: Client) => {
    const who = identities.get(client);
    return who?.kind === "device" ? who : null;
  };

  function end(client: Client, reason: string): void {
    logger.info({ clientId: client.id, reason }, "mqtt session ended by the platform");
    client.close();
  }

  aedes.on("client", (client) => {
    const who = deviceOf(client);
    if (!who) return;
    live.set(who.deviceId, client);
    const changed = changedAt.get(who.deviceId);
    if (changed === undefined) return;
    if (now() - changed > RECHECK_MS) return void changedAt.delete(who.deviceId);
    credentials.get(who.deviceId).then(
      (credential) => {
        if (credential?.secretHash !== who.secretHash) end(client, "credentials changed while connecting");
      },
      (err: unknown) =>
        logger.warn({ deviceId: who.deviceId, err: String(err) }, "credential recheck failed"),
    );
  });
  aedes.on("clientDisconnect", (client) => {
    const who = deviceOf(client);
    if (who && live.get(who.deviceId) === client) live.delete(who.deviceId);
  });

  function changed(deviceId: string): Client | undefined {
    credentials.forget(deviceId);
    const t = now();
    // Oldest first: re-inserting moves an id to the end.
    changedAt.delete(deviceId);
    for (const [id, at] of changedAt) {
      if (t - at <= RECHECK_MS) break;
      changedAt.delete(id);
    }
    changedAt.set(deviceId, t);
    return live.get(deviceId);
  }

  /** Tells the other nodes; resolves once the router took it (Redis, in a cluster). */
  const announce = (deviceId: string) =>
    new Promise<void>((resolve) =>
      aedes.publish({ topic: ANNOUNCE(aedes.id), payload: Buffer.from(deviceId) } as PublishPacket, (err) => {
        if (err) logger.warn({ deviceId, err: err.message }, "account change not announced to other nodes");
        resolve();
      }),
    );

  /** Another node changed `deviceId`: the database says what holds now. */
  const heard = (deviceId: string) => {
    const client = changed(deviceId);
    if (!client) return;
    credentials.get(deviceId).then(
      (credential) => {
        const who = deviceOf(client);
        if (!who || client.closed) return;
        if (credential === null) end(client, "device retired");
        else if (credential.secretHash !== who.secretHash) end(client, "secret changed");
      },
      (err: unknown) => logger.warn({ deviceId, err: String(err) }, "credential recheck failed"),
    );
  };
  const listener = (packet: AedesPublishPacket, done: () => void) => {
    if (packet.topic !== ANNOUNCE(aedes.id)) heard(packet.payload.toString());
    done();
  };
  aedes.subscribe(ANNOUNCED, listener, () => undefined);

  return {
    async provision(deviceId, secret) {
      const client = changed(deviceId);
      const who = client && deviceOf(client);
      if (client && who && !verifyDeviceSecret(secret, who.secretHash)) end(client, "secret changed");
      await announce(deviceId);
    },
    async revoke(deviceId) {
      const client = changed(deviceId);
      if (client) end(client, "device retired");
      await announce(deviceId);
    },
    // The listener goes with the router when the broker closes.
    close: () => Promise.resolve(),
  };
}

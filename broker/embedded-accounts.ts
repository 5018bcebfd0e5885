// DeviceAccounts of the embedded broker. It checks devices against the platform's own Device
// table through the credential cache, so a change needs no copy of the secret here: the cached
// answer is dropped, and a live session that proved another secret (or belongs to a retired
// device) is closed at once. Closing without a DISCONNECT publishes the device's Last Will, so
// staff see it go offline. A CONNECT whose lookup was already under way when the change came
// may still succeed with the old answer; such sessions are checked again when they register.
import type { Aedes, Client } from "aedes";
import type { Logger } from "pino";
import type { DeviceAccounts } from "./accounts.ts";
import type { CredentialCache } from "./credential-cache.ts";
import { verifyDeviceSecret } from "./device-secret.ts";
import type { IdentityMap } from "./identity.ts";

/** How long after a change a newly registered session of that device is checked again. */
const RECHECK_MS = 30_000;

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
  const changedAt = new Map<string, number>();

  /** The broker requires client id = device id, so a device has at most one session, keyed by it. */
  const sessionOf = (deviceId: string): Client | undefined =>
    (aedes as unknown as { clients: Record<string, Client | undefined> }).clients[deviceId];

  const proven = (client: Client) => {
    const who = identities.get(client);
    return who?.kind === "device" ? who : null;
  };

  function end(client: Client, reason: string): void {
    logger.info({ clientId: client.id, reason }, "mqtt session ended by the platform");
    client.close();
  }

  function changed(deviceId: string): void {
    credentials.forget(deviceId);
    const t = now();
    for (const [id, at] of changedAt) if (t - at > RECHECK_MS) changedAt.delete(id);
    changedAt.set(deviceId, t);
  }

  aedes.on("client", (client) => {
    const who = proven(client);
    const at = who ? changedAt.get(who.deviceId) : undefined;
    if (!who || at === undefined || now() - at > RECHECK_MS) return;
    credentials.get(who.deviceId).then(
      (credential) => {
        if (credential?.secretHash !== who.secretHash) end(client, "credentials changed while connecting");
      },
      (err: unknown) =>
        logger.warn({ deviceId: who.deviceId, err: String(err) }, "credential recheck failed"),
    );
  });

  return {
    provision(deviceId, secret) {
      changed(deviceId);
      const client = sessionOf(deviceId);
      const who = client && proven(client);
      if (client && who && !verifyDeviceSecret(secret, who.secretHash)) end(client, "secret changed");
      return Promise.resolve();
    },
    revoke(deviceId) {
      changed(deviceId);
      const client = sessionOf(deviceId);
      if (client && proven(client)) end(client, "device retired");
      return Promise.resolve();
    },
  };
}

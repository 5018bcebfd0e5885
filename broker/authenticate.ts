// aedes `authenticate` hook: service users by name and password, devices by id and secret.
// A refused CONNECT gets a CONNACK with a return code (MQTT 3.1.1 §3.2.2.3) and the
// connection is closed [MQTT-3.2.2-5].
import type { AuthenticateError, AuthErrorCode, Client } from "aedes";
import type { Logger } from "pino";
import { DeviceIdSchema } from "../protocol/mqtt.ts";
import { verifyDeviceSecret } from "./device-secret.ts";
import type { ConnectGate } from "./connect-gate.ts";
import type { CredentialCache } from "./credential-cache.ts";
import { deviceIdentity, type IdentityMap, type ServiceUsers } from "./identity.ts";
import { remoteAddressOf } from "./remote-address.ts";
import type { BrokerMetrics } from "./types.ts";

/** CONNACK return codes, MQTT 3.1.1 Table 3.1. */
const IDENTIFIER_REJECTED = 2 as AuthErrorCode;
const SERVER_UNAVAILABLE = 3 as AuthErrorCode;
const BAD_USERNAME_OR_PASSWORD = 4 as AuthErrorCode;

type Done = (error: AuthenticateError | null, success: boolean | null) => void;

export interface AuthenticateDeps {
  serviceUsers: ServiceUsers;
  credentials: CredentialCache;
  identities: IdentityMap;
  /** Devices' handshakes take turns through it; service users never wait. */
  gate: ConnectGate;
  metrics: BrokerMetrics;
  logger: Logger;
}

export function createAuthenticate(deps: AuthenticateDeps) {
  const { serviceUsers, credentials, identities, gate, metrics, logger } = deps;

  function refuse(
    done: Done,
    client: Client,
    username: string | undefined,
    code: AuthErrorCode,
    reason: string,
  ): void {
    metrics.authFailures++;
    logger.warn(
      { clientId: client.id, username, remoteAddress: remoteAddressOf(client.conn), reason },
      "mqtt connect refused",
    );
    const error = new Error(reason) as AuthenticateError;
    error.returnCode = code;
    done(error, false);
  }

  return function authenticate(
    client: Client,
    username: Readonly<string | undefined>,
    password: Readonly<Buffer | undefined>,
    done: Done,
  ): void {
    if (username !== undefined && serviceUsers.has(username)) {
      if (!serviceUsers.verify(username, password)) {
        return refuse(done, client, username, BAD_USERNAME_OR_PASSWORD, "wrong service password");
      }
      identities.set(client, { kind: "service", username });
      return done(null, true);
    }

    // Malformed ids never reach the database.
    if (username === undefined || !password || !DeviceIdSchema.safeParse(username).success) {
      return refuse(
        done,
        client,
        username,
        BAD_USERNAME_OR_PASSWORD,
        "missing or malformed device credentials",
      );
    }
    // The session belongs to the client id, so a device may only use its own: otherwise a
    // device could take over another one's session [MQTT-3.1.4-2] and receive its acks.
    if (client.id !== username) {
      return refuse(done, client, username, IDENTIFIER_REJECTED, "client id differs from device id");
    }

    const secret = password.toString("utf8");
    gate.enter(
      client,
      () => verify(client, username, secret, done),
      () => {
        metrics.connectsDeferred++;
        // Routine in a reconnect storm: the device retries after its backoff.
        logger.debug({ clientId: client.id }, "mqtt connect deferred: too many at once");
        const error = new Error(
          "too many devices connecting at once; try again shortly",
        ) as AuthenticateError;
        error.returnCode = SERVER_UNAVAILABLE;
        done(error, false);
      },
    );
  };

  function verify(client: Client, username: string, secret: string, done: Done): void {
    credentials.get(username).then(
      (credential) => {
        if (!credential) return refuse(done, client, username, BAD_USERNAME_OR_PASSWORD, "unknown device");
        if (!verifyDeviceSecret(secret, credential.secretHash)) {
          return refuse(done, client, username, BAD_USERNAME_OR_PASSWORD, "wrong device secret");
        }
        identities.set(client, deviceIdentity(username, credential.secretHash));
        done(null, true);
      },
      (err: unknown) => {
        logger.error({ deviceId: username, err: errorMessage(err) }, "device credential lookup failed");
        refuse(done, client, username, SERVER_UNAVAILABLE, "credential lookup failed");
      },
    );
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

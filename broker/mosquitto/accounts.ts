// DeviceAccounts for Mosquitto (≥ 2.0) with the dynamic-security plugin: commands are published
// to $CONTROL/dynamic-security/v1 by an account holding the admin role (dynsec-roles.ts) and
// answered on …/v1/response, matched by correlationData. Each device is a client with the
// device id as username and bound client id, and a role of its own topics. Mosquitto itself
// ends the live session when a client's password changes or the client is deleted.
import { randomUUID } from "node:crypto";
import mqtt, { type MqttClient } from "mqtt";
import { DeviceIdSchema } from "../../protocol/mqtt.ts";
import type { DeviceAccounts } from "../accounts.ts";
import { deviceRole, deviceRoleName } from "./dynsec-roles.ts";

const COMMANDS = "$CONTROL/dynamic-security/v1";
const RESPONSES = `${COMMANDS}/response`;

type Command = Record<string, unknown> & { command: string };
interface Response {
  command: string;
  error?: string;
  correlationData?: string;
}

export interface MosquittoAccountsOptions {
  /** mqtt://host:port of the Mosquitto listener. */
  url: string;
  username: string;
  password: string;
  /** Default 10 s: how long one command may take before the call fails. */
  timeoutMs?: number;
}

export class DynsecError extends Error {}

export class MosquittoAccounts implements DeviceAccounts {
  private readonly waiting = new Map<string, (r: Response) => void>();

  private constructor(
    private readonly client: MqttClient,
    private readonly timeoutMs: number,
  ) {
    client.on("message", (topic, payload) => {
      if (topic !== RESPONSES) return;
      let responses: Response[];
      try {
        responses = (JSON.parse(payload.toString()) as { responses?: Response[] }).responses ?? [];
      } catch {
        return;
      }
      for (const r of responses) {
        const done = r.correlationData === undefined ? undefined : this.waiting.get(r.correlationData);
        if (done) {
          this.waiting.delete(r.correlationData!);
          done(r);
        }
      }
    });
  }

  static async connect(o: MosquittoAccountsOptions): Promise<MosquittoAccounts> {
    const client = await mqtt.connectAsync(o.url, {
      username: o.username,
      password: o.password,
      clientId: `eldercare-accounts-${randomUUID().slice(0, 8)}`,
      connectTimeout: o.timeoutMs ?? 10_000,
    });
    const granted = await client.subscribeAsync(RESPONSES, { qos: 1 });
    if (granted[0]?.qos === 128) {
      await client.endAsync(true);
      throw new DynsecError(`${o.username} may not use ${COMMANDS}: give it the admin role`);
    }
    return new MosquittoAccounts(client, o.timeoutMs ?? 10_000);
  }

  async provision(deviceId: string, secret: string): Promise<void> {
    DeviceIdSchema.parse(deviceId);
    if (secret.length === 0) throw new RangeError("a device secret may not be empty");
    const rolename = deviceRoleName(deviceId);
    const account = { username: deviceId, password: secret, clientid: deviceId, roles: [{ rolename }] };
    const [role, created] = await this.send([
      { command: "createRole", ...deviceRole(deviceId) },
      { command: "createClient", ...account },
    ]);
    expectOk(role!, "Role already exists");
    if (created!.error !== "Client already exists") return expectOk(created!);
    // A new secret for a known device: modifyClient sets it and makes Mosquitto end the session.
    const [modified] = await this.send([{ command: "modifyClient", ...account }]);
    expectOk(modified!);
  }

  async revoke(deviceId: string): Promise<void> {
    DeviceIdSchema.parse(deviceId);
    // deleteClient also ends the live session.
    const [client, role] = await this.send([
      { command: "deleteClient", username: deviceId },
      { command: "deleteRole", rolename: deviceRoleName(deviceId) },
    ]);
    expectOk(client!, "Client not found");
    expectOk(role!, "Role not found");
  }

  close(): Promise<void> {
    for (const done of this.waiting.values()) done({ command: "close", error: "closed" });
    this.waiting.clear();
    return this.client.endAsync();
  }

  /** Sends the commands as one message; resolves with their responses in the same order. */
  private send(commands: Command[]): Promise<Response[]> {
    const tagged = commands.map((c) => ({ ...c, correlationData: randomUUID() }));
    const answers = tagged.map(
      (c) =>
        new Promise<Response>((resolve, reject) => {
          const timer = setTimeout(() => {
            this.waiting.delete(c.correlationData);
            reject(new DynsecError(`no answer to ${c.command} within ${this.timeoutMs} ms`));
          }, this.timeoutMs);
          this.waiting.set(c.correlationData, (r) => {
            clearTimeout(timer);
            resolve(r);
          });
        }),
    );
    this.client.publish(COMMANDS, JSON.stringify({ commands: tagged }), { qos: 1 });
    return Promise.all(answers);
  }
}

/** Throws unless the command succeeded or failed only with `harmless` (already done). */
function expectOk(r: Response, harmless?: string): void {
  if (r.error !== undefined && r.error !== harmless) throw new DynsecError(`${r.command}: ${r.error}`);
}

/**
 * The platform's port to an external Mosquitto: connects at the first device change, not at start
 * (a broker that is down at start must not stop the platform), and again at the next change
 * after a failure. mqtt.js reconnects a connection that was up by itself.
 */
export function mosquittoAccountsOnDemand(o: MosquittoAccountsOptions): DeviceAccounts {
  let connecting: Promise<MosquittoAccounts> | null = null;
  const accounts = (): Promise<MosquittoAccounts> => {
    connecting ??= MosquittoAccounts.connect(o).catch((err: unknown) => {
      connecting = null;
      throw err;
    });
    return connecting;
  };
  return {
    provision: async (deviceId, secret) => (await accounts()).provision(deviceId, secret),
    revoke: async (deviceId) => (await accounts()).revoke(deviceId),
    close: async () => {
      const open = connecting;
      connecting = null;
      if (open)
        await open.then(
          (a) => a.close(),
          () => undefined,
        );
    },
  };
}

// Writes a first dynamic-security file for a Mosquitto that will serve the platform:
//   MOSQUITTO_ADMIN_PASSWORD=… BROKER_SERVICE_PASSWORD=… \
//     npx tsx broker/mosquitto/init-dynsec.ts /var/lib/mosquitto/dynamic-security.json [devices.csv]
// The admin account (MOSQUITTO_ADMIN_USER, default eldercare-admin) manages device accounts; the
// service account (BROKER_SERVICE_USER, default dispatcher) is the platform's. An optional CSV of
// `deviceId,secret` lines (a factory list) provisions devices whose secrets are known. Refuses to
// overwrite an existing file: after the first start, change accounts through the live API.
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { writeDynsecConfig } from "./dynsec-file.ts";

const EnvSchema = z.object({
  MOSQUITTO_ADMIN_USER: z.string().min(1).default("eldercare-admin"),
  MOSQUITTO_ADMIN_PASSWORD: z.string().min(12, "at least 12 characters"),
  BROKER_SERVICE_USER: z.string().min(1).default("dispatcher"),
  BROKER_SERVICE_PASSWORD: z.string().min(8, "at least 8 characters"),
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const [file, csv] = process.argv.slice(2);
if (!file) fail("usage: init-dynsec.ts <dynamic-security.json> [devices.csv]");
if (existsSync(file)) fail(`${file} exists; change accounts through the broker's $CONTROL API instead`);
const env = EnvSchema.safeParse(process.env);
if (!env.success) fail(`Invalid settings:\n${z.prettifyError(env.error)}`);

const devices = (csv ? readFileSync(csv, "utf8") : "")
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"))
  .map((line, i) => {
    const [id, secret] = line.split(",").map((s) => s.trim());
    if (!id || !secret) fail(`${csv}:${i + 1}: expected deviceId,secret`);
    return { id, secret };
  });

try {
  writeDynsecConfig(file, {
    admin: { username: env.data.MOSQUITTO_ADMIN_USER, password: env.data.MOSQUITTO_ADMIN_PASSWORD },
    service: { username: env.data.BROKER_SERVICE_USER, password: env.data.BROKER_SERVICE_PASSWORD },
    devices,
  });
} catch (err) {
  fail(`cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
}
console.log(
  `wrote ${file}: admin ${env.data.MOSQUITTO_ADMIN_USER}, service ${env.data.BROKER_SERVICE_USER}, ${devices.length} devices`,
);

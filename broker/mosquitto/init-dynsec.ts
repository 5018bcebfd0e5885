// Writes a first dynamic-security file for a Mosquitto that will serve the platform:
//   MOSQUITTO_ADMIN_PASSWORD=… BROKER_SERVICE_PASSWORD=… \
//     npx tsx broker/mosquitto/init-dynsec.ts /var/lib/mosquitto/dynamic-security.json [devices.csv]
// The admin account (MOSQUITTO_ADMIN_USER, default eldercare-admin) manages device accounts; the
// service account (BROKER_SERVICE_USER, default dispatcher) is the platform's. An optional CSV of
// `deviceId,secret` lines (a factory list) provisions devices whose secrets are known. Refuses to
// overwrite an existing file: after the first start, change accounts through the live API.
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { loadSettings } from "../../protocol/process.ts";
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
// A bad value stops the script naming the variable, as the platform's own settings do.
let settings: z.infer<typeof EnvSchema>;
try {
  settings = loadSettings(EnvSchema, process.env, { title: "Invalid settings" });
} catch (err) {
  fail((err as Error).message);
}

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
    admin: { username: settings.MOSQUITTO_ADMIN_USER, password: settings.MOSQUITTO_ADMIN_PASSWORD },
    service: { username: settings.BROKER_SERVICE_USER, password: settings.BROKER_SERVICE_PASSWORD },
    devices,
  });
} catch (err) {
  fail(`cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
}
console.log(
  `wrote ${file}: admin ${settings.MOSQUITTO_ADMIN_USER}, service ${settings.BROKER_SERVICE_USER}, ${devices.length} devices`,
);

// TLS on the platform's own listeners, when the operator gives a certificate and its key (PEM
// files): MQTT over TLS on MQTTS_PORT (8883), MQTT over secure WebSocket on MQTT_WS_PORT, and
// HTTPS for the console, the API and Socket.IO on PORT. Without them everything is plain, as
// behind a TLS-terminating proxy (docs/security.md).
import { readFileSync } from "node:fs";
import type { SecureContextOptions } from "node:tls";
import { z } from "zod";

/** The environment variables of TLS, shared by the dispatcher's and the broker's configuration. */
export const TlsEnv = {
  /** PEM certificate chain (leaf first), e.g. Let's Encrypt's fullchain.pem. */
  TLS_CERT_FILE: z.string().min(1).optional(),
  /** PEM private key of that certificate. */
  TLS_KEY_FILE: z.string().min(1).optional(),
  /** MQTT over TLS, when TLS_CERT_FILE is set; 0 = any free port. */
  MQTTS_PORT: z.coerce.number().int().min(0).max(65535).default(8883),
};

/** Both files or neither: half a TLS setup is a mistake to name, not to ignore. */
export const tlsFilesPaired = {
  check: (c: { TLS_CERT_FILE?: string | undefined; TLS_KEY_FILE?: string | undefined }) =>
    (c.TLS_CERT_FILE === undefined) === (c.TLS_KEY_FILE === undefined),
  message: { message: "set TLS_CERT_FILE and TLS_KEY_FILE together", path: ["TLS_KEY_FILE"] },
};

export type TlsOptions = Pick<SecureContextOptions, "cert" | "key">;

/** Reads the files named in the configuration; null when TLS is off. Errors name the setting. */
export function readTlsFiles(c: {
  TLS_CERT_FILE?: string | undefined;
  TLS_KEY_FILE?: string | undefined;
}): TlsOptions | null {
  if (c.TLS_CERT_FILE === undefined || c.TLS_KEY_FILE === undefined) return null;
  return { cert: readPem(c.TLS_CERT_FILE, "TLS_CERT_FILE"), key: readPem(c.TLS_KEY_FILE, "TLS_KEY_FILE") };
}

function readPem(path: string, setting: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (err) {
    throw new Error(
      `${setting}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      { cause: err },
    );
  }
  if (!pem.includes("-----BEGIN ")) throw new Error(`${setting}: ${path} is not a PEM file`);
  return pem;
}

/** What the broker's listeners take: the certificate and the MQTTS port; null when TLS is off. */
export function tlsOf(
  c: Parameters<typeof readTlsFiles>[0] & { MQTTS_PORT: number },
): { options: TlsOptions; port: number } | null {
  const options = readTlsFiles(c);
  return options ? { options, port: c.MQTTS_PORT } : null;
}

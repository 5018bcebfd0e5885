// Device secrets are high-entropy random values provisioned at manufacture, so a salted
// SHA-256 is enough (like an API token) and keeps a connect storm cheap. Human passwords
// use scrypt instead (dispatcher/auth/password.ts).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export function hashDeviceSecret(secret: string, salt = randomBytes(12).toString("base64url")): string {
  return `sha256$${salt}$${digest(salt, secret)}`;
}

export function verifyDeviceSecret(secret: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "sha256" || !salt || !hash) return false;
  const actual = Buffer.from(digest(salt, secret), "hex");
  const expected = Buffer.from(hash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function digest(salt: string, secret: string): string {
  return createHash("sha256").update(`${salt}:${secret}`).digest("hex");
}

// Device secrets and generated device ids: crypto-random, from an alphabet a person can read off
// a label and type without mistakes (no 0/O, 1/I/L). 16 characters of 31 ≈ 79 bits, far beyond
// guessing over a rate-limited MQTT login; the platform stores only a salted hash.
import { randomInt } from "node:crypto";

export const HUMAN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const SECRET_LENGTH = 16;

export function randomCode(length: number, alphabet = HUMAN_ALPHABET): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function generateDeviceSecret(): string {
  return randomCode(SECRET_LENGTH);
}

/** An id for a device enrolled without one printed on it. */
export function generateDeviceId(): string {
  return `EC-${randomCode(8)}`;
}

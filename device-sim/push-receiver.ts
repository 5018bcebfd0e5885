// A local push service that speaks the Web Push protocol, for simulated phones and tests (the
// browsers' own push services are out of reach on an isolated network). It hands out subscriptions
// whose keys it holds, checks each push's VAPID signature (RFC 8292) against the platform's public
// key, decrypts the aes128gcm payload (RFC 8291) with the subscription's private key and auth
// secret, and answers like a push service: 201 Created, or 410 Gone for a dropped subscription.
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import ece from "http_ece";
import { PushMessageSchema, type PushMessage } from "../protocol/index.ts";

export interface Received {
  id: string;
  message: PushMessage;
  ttl: number;
  urgency: string | null;
  topic: string | null;
}

interface Registered {
  ecdh: ECDH;
  auth: Buffer;
  gone: boolean;
}

export interface LocalPushService {
  url: string;
  received: Received[];
  /** A subscription the platform can send to, as PushSubscription.toJSON() gives it. */
  subscription(): { endpoint: string; keys: { p256dh: string; auth: string } };
  /** Takes a subscription whose keys were made elsewhere (a page's WebCrypto): private key `d` as JWK. */
  register(privateKeyD: string, auth: string): { endpoint: string; keys: { p256dh: string; auth: string } };
  /** From now on this endpoint answers 410 Gone, as a push service does for an unsubscribed browser. */
  drop(endpoint: string): void;
  /** The next message (already received or still to come) that `match` accepts. */
  next(match: (r: Received) => boolean, ms?: number): Promise<Received>;
  /** Requests refused for a bad VAPID signature or undecryptable body. */
  rejected: string[];
  /** Every push for `endpoint` from now on; returns the way to stop listening. */
  onPush(endpoint: string, listener: (r: Received) => void): () => void;
  close(): Promise<void>;
}

export async function startLocalPushService(vapidPublicKey: () => string): Promise<LocalPushService> {
  const subs = new Map<string, Registered>();
  const received: Received[] = [];
  const rejected: string[] = [];
  const events = new EventEmitter();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? "")?.[1];
      const sub = id === undefined ? undefined : subs.get(id);
      if (req.method !== "POST" || !sub || id === undefined) return void res.writeHead(404).end();
      if (sub.gone) return void res.writeHead(410).end();
      try {
        checkVapid(String(req.headers.authorization ?? ""), vapidPublicKey(), origin());
        if (req.headers["content-encoding"] !== "aes128gcm") throw new Error("not aes128gcm");
        const plain = ece.decrypt(Buffer.concat(chunks), {
          version: "aes128gcm",
          privateKey: sub.ecdh,
          authSecret: sub.auth.toString("base64url"),
        });
        const message = PushMessageSchema.parse(JSON.parse(plain.toString("utf8")));
        const r: Received = {
          id,
          message,
          ttl: Number(req.headers.ttl),
          urgency: (req.headers.urgency as string | undefined) ?? null,
          topic: (req.headers.topic as string | undefined) ?? null,
        };
        received.push(r);
        events.emit("push", r);
        res.writeHead(201).end();
      } catch (err) {
        rejected.push(err instanceof Error ? err.message : String(err));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const add = (ecdh: ECDH, auth: Buffer) => {
    const id = randomBytes(9).toString("base64url");
    subs.set(id, { ecdh, auth, gone: false });
    return {
      endpoint: `${origin()}/push/${id}`,
      keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") },
    };
  };

  return {
    url: origin(),
    received,
    rejected,
    subscription() {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      return add(ecdh, randomBytes(16));
    },
    register(d, auth) {
      const ecdh = createECDH("prime256v1");
      ecdh.setPrivateKey(Buffer.from(d, "base64url"));
      return add(ecdh, Buffer.from(auth, "base64url"));
    },
    drop(endpoint) {
      const id = endpoint.split("/").pop()!;
      const sub = subs.get(id);
      if (sub) sub.gone = true;
    },
    next(match, ms = 5000) {
      const held = received.find(match);
      if (held) return Promise.resolve(held);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off("push", listener);
          reject(new Error(`no matching push within ${ms} ms`));
        }, ms);
        const listener = (r: Received) => {
          if (!match(r)) return;
          clearTimeout(timer);
          events.off("push", listener);
          resolve(r);
        };
        events.on("push", listener);
      });
    },
    onPush(endpoint, listener) {
      const id = endpoint.split("/").pop();
      const forThis = (r: Received) => {
        if (r.id === id) listener(r);
      };
      events.on("push", forThis);
      return () => events.off("push", forThis);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** RFC 8292: `vapid t=<ES256 JWT for this origin>, k=<the application server's public key>`. */
function checkVapid(header: string, expectedKey: string, audience: string): void {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
  if (!m) throw new Error(`no VAPID authorization: ${header}`);
  const [, jwt, k] = m as unknown as [string, string, string];
  if (k !== expectedKey) throw new Error("VAPID key is not the platform's");
  const [head, payload, signature] = jwt.split(".") as [string, string, string];
  const raw = Buffer.from(k, "base64url");
  const key = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33, 65).toString("base64url"),
    },
    format: "jwk",
  });
  const ok = verify(
    "sha256",
    Buffer.from(`${head}.${payload}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!ok) throw new Error("VAPID signature does not verify");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { aud?: string; exp?: number };
  if (claims.aud !== audience) throw new Error(`VAPID audience ${claims.aud} is not ${audience}`);
  if (!claims.exp || claims.exp * 1000 < Date.now()) throw new Error("VAPID token expired");
}

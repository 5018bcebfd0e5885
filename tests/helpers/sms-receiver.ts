// A local stand-in for an SMS provider: the platform's webhook POSTs here (docs/family.md), and
// tests wait for the messages it received. Every request's signature is checked.
import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import { signature, SIGNATURE_HEADER, type SmsRequest } from "../../dispatcher/family/sms.ts";

export interface SmsReceiver {
  url: string;
  secret: string;
  received: SmsRequest[];
  /** Requests whose signature did not match (must stay 0). */
  badSignatures: number;
  next(match: (m: SmsRequest) => boolean, ms?: number): Promise<SmsRequest>;
  close(): Promise<void>;
}

export async function startSmsReceiver(secret = "sms-webhook-secret-test"): Promise<SmsReceiver> {
  const received: SmsRequest[] = [];
  const arrived = new EventEmitter();
  const state = { badSignatures: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.headers[SIGNATURE_HEADER] !== signature(secret, body)) {
        state.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const message = JSON.parse(body) as SmsRequest;
      received.push(message);
      arrived.emit("sms", message);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    secret,
    received,
    get badSignatures() {
      return state.badSignatures;
    },
    next(match, ms = 5000) {
      const held = received.find(match);
      if (held) return Promise.resolve(held);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          arrived.off("sms", listener);
          reject(new Error(`no matching SMS within ${ms} ms`));
        }, ms);
        const listener = (m: SmsRequest) => {
          if (!match(m)) return;
          clearTimeout(timer);
          arrived.off("sms", listener);
          resolve(m);
        };
        arrived.on("sms", listener);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

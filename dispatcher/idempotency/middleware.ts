// Idempotency keys for actions a phone may send more than once (a queue sent again after a lost
// answer, a retry on a flaky network): the first request with a key is carried out and its answer
// kept for a day; the same key again gets that answer replayed, with `Idempotent-Replayed: true`,
// and changes nothing. Follows draft-ietf-httpapi-idempotency-key-header: the same key with a
// different request is refused (422); a request whose first attempt is still running waits for it.
//
// The key is claimed in the database before the action runs and answered after it, so a replay
// survives a restart. If the process died between the two, the outcome is unknown: the phone is
// told so (409) and reloads its state instead of risking the action twice.
import { createHash } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { Logger } from "pino";
import type { User } from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { bearer, sendError, type Authenticator } from "../edge/http.ts";
import * as repo from "./repository.ts";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** How long an answer is kept for replay. */
export const KEY_RETENTION_MS = 24 * 3_600_000;
const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

interface Answer {
  status: number;
  body: string | null;
}

export function idempotency(deps: {
  db: SqlDatabase;
  clock: Clock;
  auth: Authenticator;
  logger: Logger;
}): RequestHandler {
  const { db, clock, logger } = deps;
  /**
   * Requests with a key being answered in this process, by user and key. Registered before the
   * first await, so a second request with the same key waits for the first instead of racing it.
   */
  const running = new Map<string, { fingerprint: string; answer: Promise<Answer | null> }>();

  const replay = (res: Response, a: Answer) => {
    res.status(a.status).set("Idempotent-Replayed", "true");
    if (a.body === null) res.end();
    else res.type("application/json").send(a.body);
  };
  const mismatch = (res: Response) =>
    sendError(res, "idempotency_mismatch", `this ${IDEMPOTENCY_HEADER} was used for another request`);

  return (req, res, next) => {
    const key = req.get(IDEMPOTENCY_HEADER);
    if (key === undefined || req.method !== "POST") return next();
    if (!KEY_PATTERN.test(key)) {
      return sendError(res, "bad_request", `${IDEMPOTENCY_HEADER} must be 8–128 letters, digits or ._:-`);
    }
    void (async () => {
      let user: User;
      try {
        user = await deps.auth.authenticate(bearer(req));
      } catch {
        return next(); // the route answers 401 itself
      }
      const id = `${user.id}:${key}`;
      const fingerprint = `${req.method} ${req.path} ${createHash("sha256")
        .update(JSON.stringify(req.body ?? {}))
        .digest("base64url")}`;
      for (let first = running.get(id); first; first = running.get(id)) {
        if (first.fingerprint !== fingerprint) return mismatch(res);
        const a = await first.answer;
        if (a) return replay(res, a);
        // The first attempt decided nothing (a server fault): look again.
      }
      let settle: (a: Answer | null) => void = () => undefined;
      running.set(id, { fingerprint, answer: new Promise((resolve) => (settle = resolve)) });
      const done = (a: Answer | null) => {
        running.delete(id);
        settle(a);
      };
      try {
        const now = clock.now();
        let row = await repo.findKey(db, user.id, key);
        if (row && row.createdAt < now - KEY_RETENTION_MS) {
          await db.write((tx) => repo.releaseKey(tx, user.id, key));
          row = undefined;
        }
        if (row) {
          if (row.fingerprint !== fingerprint) {
            done(null);
            return mismatch(res);
          }
          if (row.status !== null) {
            const a = { status: row.status, body: row.body };
            done(a);
            return replay(res, a);
          }
          done(null);
          return sendError(
            res,
            "conflict",
            "the first attempt with this key did not finish; reload and check",
          );
        }
        if (!(await db.write((tx) => repo.claimKey(tx, user.id, key, fingerprint, now)))) {
          // Claimed by another instance of the platform in the meantime.
          done(null);
          return sendError(res, "conflict", "a request with this key is already being answered");
        }
      } catch (err) {
        done(null);
        throw err;
      }
      let body: string | null = null;
      const json = res.json.bind(res);
      res.json = (value: unknown) => {
        body = JSON.stringify(value);
        return json(value);
      };
      res.on("finish", () => {
        const status = res.statusCode;
        // A server fault decided nothing: free the key so the phone may try again.
        const keep = status < 500;
        const answer = keep ? { status, body } : null;
        db.write((tx) =>
          keep ? repo.storeAnswer(tx, user.id, key, status, body) : repo.releaseKey(tx, user.id, key),
        )
          .catch((err: unknown) =>
            logger.error({ err, userId: user.id }, "storing an idempotent answer failed"),
          )
          .finally(() => done(answer));
      });
      next();
    })().catch(next);
  };
}

/** Deletes answers older than a day; returns how many. */
export function purgeIdempotencyKeys(db: SqlDatabase, now: number): Promise<number> {
  return db.write((tx) => repo.purgeBefore(tx, now - KEY_RETENTION_MS));
}

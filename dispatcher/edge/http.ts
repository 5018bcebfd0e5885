// Edge helpers: validate input with zod, check roles, map domain errors to HTTP once.
import type { NextFunction, Request, Response, RequestHandler } from "express";
import { z } from "zod";
import type { UserRole, User } from "../../protocol/index.ts";
import { DomainError, type ErrorCode } from "../errors.ts";
import type { SessionService } from "../auth/service.ts";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  illegal_transition: 409,
  offer_closed: 409,
  not_assigned: 403,
  no_location: 409,
};

export const STAFF: readonly UserRole[] = ["admin", "dispatcher", "manager"];

export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw new DomainError("bad_request", z.prettifyError(r.error).replace(/\n/g, "; "));
  return r.data;
}

export const IdParam = z.object({ id: z.coerce.number().int().positive() });

export function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith("Bearer ") ? h.slice(7) : undefined;
}

export type AuthedRequest = Request & { user: User };

/** Wraps a handler: authenticates, checks the role, forwards errors to the error handler. */
/** The caller's responder id; staff accounts have none. */
export function responderIdOf(req: AuthedRequest): number {
  if (req.user.responderId === null) throw new DomainError("forbidden", "this account is not a responder");
  return req.user.responderId;
}

/** Runs a handler: its result is the JSON answer (undefined → 204), its errors go to the error handler. */
export function respond(handler: (req: Request, res: Response) => unknown): RequestHandler {
  return (req, res, next) => {
    void (async () => {
      const result = await handler(req, res);
      if (!res.headersSent) {
        if (result === undefined) res.status(204).end();
        else res.json(result);
      }
    })().catch(next);
  };
}

/** Like `respond`, after authenticating the caller and checking the role. */
export function guard(
  sessions: SessionService,
  roles: readonly UserRole[],
  handler: (req: AuthedRequest, res: Response) => unknown,
): RequestHandler {
  return respond(async (req, res) => {
    const user = await sessions.authenticate(bearer(req));
    if (!roles.includes(user.role))
      throw new DomainError("forbidden", `this needs one of the roles: ${roles.join(", ")}`);
    (req as AuthedRequest).user = user;
    return handler(req as AuthedRequest, res);
  });
}

export function errorHandler(logger: { error(o: object, m: string): void }) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof DomainError) {
      res.status(STATUS[err.code]).json({ error: { code: err.code, message: err.message } });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === "entity.parse.failed") {
      res.status(400).json({ error: { code: "bad_request", message: "body is not valid JSON" } });
      return;
    }
    if (e.type === "entity.too.large") {
      res.status(413).json({ error: { code: "too_large", message: "body too large" } });
      return;
    }
    logger.error({ err }, "request failed");
    res.status(500).json({ error: { code: "internal", message: "internal error" } });
  };
}

// Edge helpers: validate input with zod, check roles, map domain errors to HTTP once.
import type { NextFunction, Request, Response, RequestHandler } from "express";
import { z } from "zod";
import {
  ERROR_STATUS,
  STAFF_ROLES,
  type ApiErrorBody,
  type ErrorCode,
  type User,
  type UserRole,
} from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";
import type { SessionService } from "../auth/service.ts";

export const STAFF: readonly UserRole[] = STAFF_ROLES;

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
    if (err instanceof DomainError) return sendError(res, err.code, err.message);
    const e = err as { type?: string };
    if (e.type === "entity.parse.failed") return sendError(res, "bad_request", "body is not valid JSON");
    if (e.type === "entity.too.large") return sendError(res, "too_large", "body too large");
    logger.error({ err }, "request failed");
    sendError(res, "internal", "internal error");
  };
}

export function sendError(res: Response, code: ErrorCode, message: string): void {
  const body: ApiErrorBody = { error: { code, message } };
  res.status(ERROR_STATUS[code]).json(body);
}

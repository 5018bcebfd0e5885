// The HTTP edge: validate input with zod, authenticate the caller, map errors to a status once.
// Routes stop here; what a caller may do is decided by the services (auth/access.ts).
import type { Server } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { z } from "zod";
import { ERROR_STATUS, type ApiErrorBody, type ErrorCode, type User } from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";

export interface Authenticator {
  authenticate(token: string | undefined): Promise<User>;
}

export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    // Which fields failed and why, so the console can mark them in the form.
    const fields = r.error.issues.map((i) => ({
      path: i.path.join("."),
      code: i.code,
      message: i.message,
      // A rule of ours (e.g. "phone") names itself, so the console can say it in its language.
      ...(i.code === "custom" && typeof i.params?.rule === "string" ? { rule: i.params.rule } : {}),
    }));
    throw new DomainError("bad_request", z.prettifyError(r.error).replace(/\n/g, "; "), { fields });
  }
  return r.data;
}

const IdParam = z.object({ id: z.coerce.number().int().positive() });

/** The `:id` route parameter. */
export const idOf = (req: Request): number => parse(IdParam, req.params).id;

export function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith("Bearer ") ? h.slice(7) : undefined;
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

/** Like `respond`, for a logged-in caller. */
export function authed(
  auth: Authenticator,
  handler: (req: Request, user: User, res: Response) => unknown,
): RequestHandler {
  return respond(async (req, res) => handler(req, await auth.authenticate(bearer(req)), res));
}

/** The caller with the address the request came from, for the audit log. */
export function caller(req: Request, user: User): User & { ip: string | null } {
  return { ...user, ip: req.ip ?? null };
}

/** Like `authed`, for a handler that creates something: 201 with the new record. */
export function creates(
  auth: Authenticator,
  handler: (req: Request, user: User & { ip: string | null }) => Promise<unknown>,
): RequestHandler {
  return authed(auth, async (req, user, res) => {
    const result = await handler(req, caller(req, user));
    res.status(201);
    return result;
  });
}

export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): void {
  const body: ApiErrorBody = { error: { code, message, ...(details ? { details } : {}) } };
  res.status(ERROR_STATUS[code]).json(body);
}

export function errorHandler(logger: { error(o: object, m: string): void }) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof DomainError) return sendError(res, err.code, err.message, err.details);
    const e = err as { type?: string };
    if (e.type === "entity.parse.failed") return sendError(res, "bad_request", "body is not valid JSON");
    if (e.type === "entity.too.large") return sendError(res, "too_large", "body too large");
    logger.error({ err }, "request failed");
    sendError(res, "internal", "internal error");
  };
}

/** Listens; a taken port fails with a message naming the setting to change. */
export function listen(server: Server, port: number, host: string, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? portInUse(port, setting) : err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    });
  });
}

export function portInUse(port: number, setting: string): Error {
  return new Error(`port ${port} is already in use; stop the other process or set ${setting} to a free port`);
}

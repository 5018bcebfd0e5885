// The HTTP edge: validate input with zod, authenticate the caller, map errors to a status once.
// Routes stop here; what a caller may do is decided by the services (auth/access.ts).
import type { Server } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { z } from "zod";
import { ERROR_STATUS, type ApiErrorBody, type ErrorCode, type User } from "../../protocol/index.ts";
import { isStorageError } from "../db/sql.ts";
import { DomainError } from "../errors.ts";

/** How long a client should wait before retrying while storage is down. */
const STORAGE_RETRY_AFTER_SECONDS = 5;

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

/** body-parser's error types, each with the answer it deserves (never a 500: the client sent it). */
const BODY_ERRORS: Record<string, [ErrorCode, string]> = {
  "entity.parse.failed": ["bad_request", "body is not valid JSON"],
  "entity.too.large": ["too_large", "body too large"],
  "entity.verify.failed": ["bad_request", "body refused"],
  "charset.unsupported": ["unsupported_media_type", "unsupported charset; send UTF-8 JSON"],
  "encoding.unsupported": [
    "unsupported_media_type",
    "unsupported content encoding; send identity, gzip or deflate",
  ],
  "request.aborted": ["bad_request", "request aborted"],
  "request.size.invalid": ["bad_request", "body size does not match Content-Length"],
  "parameters.too.many": ["too_large", "too many parameters"],
};

export function errorHandler(logger: {
  error(o: object, m: string): void;
  warn(o: object, m: string): void;
}) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof DomainError) {
      const wait = err.details?.retryAfterSeconds;
      if (typeof wait === "number") res.setHeader("Retry-After", String(wait));
      return sendError(res, err.code, err.message, err.details);
    }
    if (isStorageError(err)) {
      logger.warn({ err }, "request refused: storage unavailable");
      res.setHeader("Retry-After", String(STORAGE_RETRY_AFTER_SECONDS));
      return sendError(res, "unavailable", "the platform cannot store data right now; try again shortly");
    }
    const e = err as { type?: string; status?: number; expose?: boolean };
    const known = e.type === undefined ? undefined : BODY_ERRORS[e.type];
    if (known) return sendError(res, known[0], known[1]);
    // A body that cannot be decoded (corrupt gzip) or any other client error body-parser raises.
    if (e.expose === true && e.status !== undefined && e.status >= 400 && e.status < 500) {
      return sendError(
        res,
        e.status === 415 ? "unsupported_media_type" : "bad_request",
        "body cannot be read",
      );
    }
    logger.error({ err }, "request failed");
    sendError(res, "internal", "internal error");
  };
}

/** API answers hold medical data and live state: no browser or proxy may keep a copy. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Cache-Control", "no-store");
  next();
}

/**
 * A body that is not JSON is refused as such (415), not read as an empty one; except on the
 * paths (relative to the mount) whose route reads its own body (a spreadsheet to import).
 */
export function jsonBodiesOnly(rawBodyPaths: readonly string[] = []) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody =
      Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
    if (hasBody && !rawBodyPaths.includes(req.path) && req.is("application/json") === false) {
      return sendError(res, "unsupported_media_type", "send the body as application/json");
    }
    next();
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

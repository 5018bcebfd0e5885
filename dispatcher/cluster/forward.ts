// A follower forwards every API request to the leader (decision 0017): the leader alone holds the
// engine's state (timers, matching, the responder registry), so every read and write of /api is
// served where that state is and no cache goes stale. Consoles and phones may connect to any
// instance; while no leader is known (a takeover in progress) the answer is 503 with Retry-After.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler, Response } from "express";
import { createProxyMiddleware } from "http-proxy-middleware";
import type { Logger } from "pino";
import { sendError } from "../edge/http.ts";

export interface LeaderDirectory {
  /** Whether this instance leads (then nothing is forwarded). */
  leading(): boolean;
  /** The leader's HTTP base URL as last seen, or null while none is known. */
  leaderUrl(): Promise<string | null>;
  /** The leader did not answer: look it up again before the next request. */
  forget(): void;
}

const RETRY_SECONDS = 2;

const NO_LEADER =
  "no instance is dispatching at this moment (a takeover is in progress); retry in a few seconds";

/** `res` is Express's response (the proxy hands back the one it was given). */
function noLeader(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  res.setHeader("Retry-After", String(RETRY_SECONDS));
  sendError(res as Response, "unavailable", NO_LEADER);
}

export function forwardToLeader(directory: LeaderDirectory, logger: Logger): RequestHandler {
  const targets = new WeakMap<IncomingMessage, string>();
  const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    router: (req) => targets.get(req) ?? "",
    changeOrigin: false,
    // The leader's login guard and audit see the caller's address (with TRUST_PROXY set there).
    xfwd: true,
    proxyTimeout: 30_000,
    on: {
      error: (err, req, res) => {
        logger.warn({ err: err.message, target: targets.get(req) }, "forwarding to the leader failed");
        directory.forget();
        if ("writeHead" in res) noLeader(res);
        else res.destroy();
      },
    },
  });
  return (req, res, next) => {
    if (directory.leading() || !req.originalUrl.startsWith("/api/")) return next();
    directory.leaderUrl().then(
      (url) => {
        if (url === null) return noLeader(res);
        targets.set(req, url);
        return proxy(req, res, next);
      },
      () => noLeader(res),
    );
  };
}

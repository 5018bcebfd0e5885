// Map routes: the areas drawn under the live layers.
import { Router } from "express";
import { authed, type Authenticator } from "../edge/http.ts";
import type { MapService } from "./service.ts";

export function mapRoutes(auth: Authenticator, map: MapService): Router {
  const r = Router();
  r.get(
    "/map/areas",
    authed(auth, (_req, user) => map.areas(user)),
  );
  return r;
}

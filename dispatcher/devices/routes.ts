// Device health for staff, and the supervision profiles per device kind.
import { Router } from "express";
import {
  DeviceKindSchema,
  DeviceListQuerySchema,
  SupervisionProfileInputSchema,
} from "../../protocol/index.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import type { SupervisionProfiles } from "./profiles.ts";
import type { DeviceService } from "./service.ts";

export function deviceRoutes(
  auth: Authenticator,
  devices: DeviceService,
  profiles: SupervisionProfiles,
): Router {
  const r = Router();
  r.get(
    "/devices",
    authed(auth, (req, user) => devices.list(user, parse(DeviceListQuerySchema, req.query))),
  );
  r.get(
    "/supervision-profiles",
    authed(auth, (_req, user) => profiles.list(user)),
  );
  r.put(
    "/supervision-profiles/:kind",
    authed(auth, (req, user) =>
      profiles.update(
        user,
        parse(DeviceKindSchema, req.params.kind),
        parse(SupervisionProfileInputSchema, req.body),
      ),
    ),
  );
  return r;
}

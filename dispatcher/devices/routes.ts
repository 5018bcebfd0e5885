// Device health for staff.
import { Router } from "express";
import { DeviceListQuerySchema } from "../../protocol/index.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import type { DeviceService } from "./service.ts";

export function deviceRoutes(auth: Authenticator, devices: DeviceService): Router {
  const r = Router();
  r.get(
    "/devices",
    authed(auth, (req, user) => devices.list(user, parse(DeviceListQuerySchema, req.query))),
  );
  return r;
}

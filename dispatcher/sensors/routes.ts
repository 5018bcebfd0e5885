// Routes of the sensors feature: a resident's sensor settings (inactivity windows, door watch).
import { Router } from "express";
import { SensorSettingsSchema } from "../../protocol/index.ts";
import { authed, caller, idOf, parse, type Authenticator } from "../edge/http.ts";
import type { SensorService } from "./service.ts";

export function sensorRoutes(auth: Authenticator, sensors: SensorService): Router {
  const r = Router();
  r.get(
    "/residents/:id/sensors",
    authed(auth, (req, user) => sensors.settings(user, idOf(req))),
  );
  r.put(
    "/residents/:id/sensors",
    authed(auth, (req, user) =>
      sensors.updateSettings(caller(req, user), idOf(req), parse(SensorSettingsSchema, req.body)),
    ),
  );
  return r;
}

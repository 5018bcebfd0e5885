// Device register routes: enrol, read, new secret, move, retire.
import { Router, type Request } from "express";
import { DeviceCreateSchema, DeviceIdSchema, DevicePatchSchema } from "../../protocol/index.ts";
import { z } from "zod";
import { authed, caller, creates, parse, type Authenticator } from "../edge/http.ts";
import type { DeviceRegister } from "./register.ts";

const deviceIdOf = (req: Request) => parse(z.object({ id: DeviceIdSchema }), req.params).id;

export function deviceRegisterRoutes(auth: Authenticator, register: DeviceRegister): Router {
  const r = Router();
  r.post(
    "/devices",
    creates(auth, (req, user) => register.create(user, parse(DeviceCreateSchema, req.body))),
  );
  r.get(
    "/devices/:id",
    authed(auth, (req, user) => register.get(user, deviceIdOf(req))),
  );
  r.patch(
    "/devices/:id",
    authed(auth, (req, user) =>
      register.update(caller(req, user), deviceIdOf(req), parse(DevicePatchSchema, req.body)),
    ),
  );
  r.post(
    "/devices/:id/secret",
    authed(auth, (req, user) => register.rotateSecret(caller(req, user), deviceIdOf(req))),
  );
  r.post(
    "/devices/:id/retire",
    authed(auth, (req, user) => register.retire(caller(req, user), deviceIdOf(req))),
  );
  return r;
}

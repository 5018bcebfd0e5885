// The map feature: community labels and grid outlines for the console's map.
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { mapRoutes } from "./routes.ts";
import { MapService } from "./service.ts";

export function createMapFeature(deps: { db: SqlDatabase; auth: Authenticator }): Feature {
  return { name: "map", router: mapRoutes(deps.auth, new MapService(deps.db)) };
}

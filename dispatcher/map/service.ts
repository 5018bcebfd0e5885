// What the dispatch map draws besides live cases and responders: the communities and grids in
// the caller's scope, so the map orients with no tile server.
import type { MapAreas, User } from "../../protocol/index.ts";
import { communityScope, requirePermission } from "../auth/access.ts";
import type { Queryable } from "../db/sql.ts";
import { listAreas } from "./repository.ts";

export class MapService {
  constructor(private readonly db: Queryable) {}

  areas(user: User): Promise<MapAreas> {
    requirePermission(user, "case.read");
    return listAreas(this.db, communityScope(user));
  }
}

// SQL of the areas the dispatch map draws: communities (their names at their centres) and grids
// with their stored outlines.
import { OutlineSchema, type MapAreas } from "../../protocol/index.ts";
import { parseJson, placeholders, type Queryable } from "../db/sql.ts";

interface CommunityRow {
  id: number;
  name: string;
  district: string;
  lat: number;
  lng: number;
}
interface GridRow {
  id: number;
  communityId: number;
  name: string;
  outline: string | null;
}

/** `communityIds` null = all. */
export async function listAreas(q: Queryable, communityIds: readonly number[] | null): Promise<MapAreas> {
  if (communityIds !== null && communityIds.length === 0) return { communities: [] };
  const only = communityIds === null ? "" : `WHERE id IN (${placeholders(communityIds.length)})`;
  const onlyGrids =
    communityIds === null ? "" : `WHERE "communityId" IN (${placeholders(communityIds.length)})`;
  const ids = communityIds ?? [];
  const communities = await q.all<CommunityRow>(
    `SELECT id, name, district, lat, lng FROM "Community" ${only} ORDER BY id`,
    ids,
  );
  const grids = await q.all<GridRow>(
    `SELECT id, "communityId", name, outline FROM "Grid" ${onlyGrids} ORDER BY id`,
    ids,
  );
  return {
    communities: communities.map((c) => ({
      ...c,
      grids: grids
        .filter((g) => g.communityId === c.id)
        .map((g) => {
          // An outline that does not parse is drawn as none rather than failing the whole map.
          const outline = OutlineSchema.safeParse(parseJson(g.outline));
          return { id: g.id, name: g.name, outline: outline.success ? outline.data : null };
        }),
    })),
  };
}

// REST DTOs of what the dispatch map draws without any tile server: community names and grid
// outlines, from the database.
import { z } from "zod";
import { id, lat, lng } from "./wire.ts";

/** A closed outline as [lat, lng] corners, first corner not repeated. */
export const OutlineSchema = z.array(z.tuple([lat, lng]));
export type Outline = z.infer<typeof OutlineSchema>;

export const MapAreasSchema = z.object({
  communities: z.array(
    z.object({
      id,
      name: z.string(),
      district: z.string(),
      /** Where the label goes. */
      lat,
      lng,
      grids: z.array(z.object({ id, name: z.string(), outline: OutlineSchema.nullable() })),
    }),
  ),
});
export type MapAreas = z.infer<typeof MapAreasSchema>;

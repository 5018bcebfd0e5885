// The API documentation feature.
import type { Feature } from "../feature.ts";
import { openApiRoutes } from "./routes.ts";

export function createOpenApiFeature(): Feature {
  return { name: "openapi", router: openApiRoutes() };
}

// The import feature: residents with their devices from the spreadsheets communities keep.
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { importRoutes } from "./routes.ts";
import { ImportService, type ImportServiceDeps } from "./service.ts";

export function createImportFeature(deps: ImportServiceDeps & { auth: Authenticator }) {
  const service = new ImportService(deps);
  return { name: "import", service, router: importRoutes(deps.auth, service) } satisfies Feature & {
    service: ImportService;
  };
}

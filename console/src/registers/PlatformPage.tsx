// Platform settings (admins): the roles and their rights as the service enforces them, the
// service area, and the API documentation for systems that connect to the platform.
import { useTranslation } from "react-i18next";
import { STAFF_ROLES } from "../../../protocol/domain.ts";
import { PERMISSION_NAMES, can } from "../../../protocol/roles.ts";
import { useCommunities } from "./useCommunities.ts";
import "./registers.css";

export default function PlatformPage() {
  const { t } = useTranslation();
  const area = useCommunities()?.serviceArea ?? null;
  return (
    <section className="panel reg-page" aria-labelledby="platform-title" data-testid="platform-page">
      <h2 id="platform-title">{t("registers.platform.title")}</h2>
      <h3>{t("registers.platform.roles")}</h3>
      <div className="table-wrap">
        <table className="table" data-testid="role-matrix">
          <thead>
            <tr>
              <th>{t("registers.platform.permission")}</th>
              {STAFF_ROLES.map((r) => (
                <th key={r}>{t(`roles.${r}`)}</th>
              ))}
              <th>{t("roles.responder")}</th>
            </tr>
          </thead>
          <tbody>
            {PERMISSION_NAMES.map((p) => (
              <tr key={p}>
                <td>{t(`registers.platform.perm.${p}`)}</td>
                {[...STAFF_ROLES, "responder" as const].map((r) => (
                  <td key={r}>{can(r, p) ? "✓" : ""}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {area && (
        <>
          <h3>{t("registers.platform.serviceArea")}</h3>
          <p className="mono">
            {t("registers.platform.serviceAreaText", {
              south: area.south.toFixed(4),
              north: area.north.toFixed(4),
              west: area.west.toFixed(4),
              east: area.east.toFixed(4),
            })}
          </p>
        </>
      )}
      <h3>{t("registers.platform.apiDocs")}</h3>
      <p>
        <a href="/api/docs" target="_blank" rel="noopener" data-testid="api-docs-link">
          /api/docs
        </a>{" "}
        · <a href="/api/openapi.json">/api/openapi.json</a>
      </p>
      <p className="muted">{t("registers.platform.apiDocsHint")}</p>
    </section>
  );
}

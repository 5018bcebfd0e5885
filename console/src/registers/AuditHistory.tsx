// A record's change history: who changed which field, when, from what to what.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { AUDIT_ACTIONS, type AuditAction, type AuditEntity } from "../../../protocol/api.ts";
import { HIDDEN } from "../../../protocol/process.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { formatTimestamp } from "../lib/format.ts";
import { registers } from "./api.ts";
import { Pager } from "./Pager.tsx";

function shown(
  value: unknown,
  t: (k: "registers.audit.hidden" | "registers.audit.empty_value") => string,
): string {
  if (value === HIDDEN) return t("registers.audit.hidden");
  if (value === null || value === undefined || value === "") return t("registers.audit.empty_value");
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

export function AuditHistory({
  entity,
  id,
  refresh,
}: {
  entity: AuditEntity;
  id: string | number;
  refresh: number;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const { data, error } = useLoad(() => registers.audit(entity, id, page), [entity, id, page, refresh]);
  const actionLabel = (a: string) =>
    (AUDIT_ACTIONS as readonly string[]).includes(a) ? t(`registers.audit.action.${a as AuditAction}`) : a;
  return (
    <section className="reg-section" aria-labelledby={`audit-${entity}-${id}`} data-testid="audit-history">
      <h3 id={`audit-${entity}-${id}`}>{t("registers.audit.title")}</h3>
      {error && <p className="form-error">{error}</p>}
      {data && data.items.length === 0 && <p className="muted">{t("registers.audit.empty")}</p>}
      {data && data.items.length > 0 && (
        <>
          <ol className="audit-list">
            {data.items.map((e) => (
              <li key={e.id} data-action={e.action}>
                <div>
                  <strong>{actionLabel(e.action)}</strong> · {e.actorName ?? e.actorType} ·{" "}
                  <time dateTime={e.at}>{formatTimestamp(e.at, Date.now())}</time>
                </div>
                {e.changes && e.action !== "create" && (
                  <ul className="audit-changes">
                    {Object.entries(e.changes).map(([field, [before, after]]) => (
                      <li key={field}>
                        <span className="mono">{field}</span>: {shown(before, t)} → {shown(after, t)}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
          <Pager page={page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

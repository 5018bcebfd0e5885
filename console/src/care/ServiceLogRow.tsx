// One entry of the service log: when (the platform's zone), what kind, for whom and where, who
// went, what was done, how many hours.
import { useTranslation } from "react-i18next";
import { hoursOfMinutes, type ServiceLogEntry } from "../../../protocol/api.ts";
import { formatDateTime } from "../lib/format.ts";

export function ServiceLogRow({ e }: { e: ServiceLogEntry }) {
  const { t } = useTranslation();
  return (
    <tr data-testid={`log-entry-${e.id}`} data-kind={e.kind}>
      <td className="mono">
        <time dateTime={e.at}>{formatDateTime(e.at)}</time>
      </td>
      <td>{t(`care.log.kind.${e.kind}`)}</td>
      <td>
        {e.residentName}
        <br />
        <span className="muted small">
          {e.communityName} · {e.gridName}
        </span>
      </td>
      <td>{e.place}</td>
      <td>{e.responderName ?? "—"}</td>
      <td className="care-log-content">{e.content}</td>
      <td className="num">{e.minutes === null ? "—" : hoursOfMinutes(e.minutes)}</td>
    </tr>
  );
}

// The pinned "需要处理" (needs action) list above the queue: each new emergency and each stored
// alert with its own acknowledge; the bulk button acknowledges exactly the items listed. A role
// that only reads dispatch (a manager) sees the list without the buttons.
import { useTranslation } from "react-i18next";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useNow } from "../hooks/useNow.ts";
import { formatDuration } from "../lib/format.ts";
import { useCan } from "../registers/can.ts";
import { store } from "../store.ts";
import { acknowledge, acknowledgeAll } from "./acknowledge.ts";
import type { NeedsAction as Item } from "./useAlarm.ts";

/** More than this and the list would push the queue off the screen. */
export const NEEDS_ACTION_SHOWN = 6;

function Row({ item, mayAck }: { item: Item; mayAck: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const ack = useAsyncAction(() => acknowledge(item));
  const since = item.type === "case" ? item.c.createdAt : item.alert.at;
  const name = item.type === "case" ? item.c.residentName : item.alert.residentName;
  const what = item.type === "case" ? t("queue.newEmergency") : t(`alertKind.${item.alert.kind}`);
  const caseId = item.type === "case" ? item.c.id : item.alert.caseId;
  return (
    <li
      className={`needs-item needs-${item.type === "case" ? "case" : item.alert.kind}`}
      data-testid={`needs-${item.key}`}
    >
      <button type="button" className="needs-open" onClick={() => store.selectCase(caseId)}>
        <strong>{name}</strong> <span className="needs-what">{what}</span>{" "}
        <span className="muted">
          {t("units.ago", { time: formatDuration((now - Date.parse(since)) / 1000) })}
        </span>
      </button>
      {mayAck && (
        <button
          type="button"
          className="btn btn-alarm btn-small"
          data-testid={`needs-ack-${item.key}`}
          disabled={ack.busy}
          title={ack.error ?? undefined}
          onClick={() => void ack.run()}
        >
          {t("queue.ack")}
        </button>
      )}
    </li>
  );
}

export function NeedsActionList({ items }: { items: readonly Item[] }) {
  const { t } = useTranslation();
  const shown = items.slice(0, NEEDS_ACTION_SHOWN);
  const ackShown = useAsyncAction(() => acknowledgeAll(shown));
  const mayAck = useCan()("case.dispatch");
  if (items.length === 0) return null;
  return (
    <section
      className="needs-action"
      aria-labelledby="needs-action-title"
      data-testid="needs-action"
      tabIndex={-1}
      id="needs-action"
    >
      <h2 id="needs-action-title" className="queue-heading needs-heading">
        {t("queue.needsAction")} <span className="count">{t("queue.count", { count: items.length })}</span>
      </h2>
      <ul className="queue-list">
        {shown.map((item) => (
          <Row key={item.key} item={item} mayAck={mayAck} />
        ))}
      </ul>
      <div className="needs-foot">
        {items.length > shown.length && (
          <span className="muted">{t("queue.moreItems", { count: items.length - shown.length })}</span>
        )}
        {ackShown.error && <span className="form-error">{ackShown.error}</span>}
        {mayAck && (
          <button
            type="button"
            className="btn btn-secondary btn-small"
            data-testid="needs-ack-shown"
            disabled={ackShown.busy}
            onClick={() => void ackShown.run()}
          >
            {t("queue.ackShown", { count: shown.length })}
          </button>
        )}
      </div>
    </section>
  );
}

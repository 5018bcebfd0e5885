// The community's service-order queue (居民点单、支部下单): staff place an order for a resident,
// then assign it to a responder with the skill or publish it for volunteers to claim. Calm work:
// no siren, the window and an overdue mark instead.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SERVICE_KINDS, type ServiceKind } from "../../../protocol/domain.ts";
import type { ResidentListItem, ResponderSummary, ServiceOrder } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { ResidentSearch } from "../intake/ResidentSearch.tsx";
import { formatShortDateTime, todayInput, wallClockInstant } from "../lib/format.ts";
import { useCan } from "../registers/can.ts";
import { careApi } from "./api.ts";
import { onOrderEvent } from "./order-events.ts";
import "../intake/intake.css";
import "./care.css";

function NewOrder({ onPlaced }: { onPlaced: () => void }) {
  const { t } = useTranslation();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const [resident, setResident] = useState<ResidentListItem | null>(null);
  const [service, setService] = useState<ServiceKind>("meal");
  const [day, setDay] = useState(todayInput());
  const [from, setFrom] = useState("11:00");
  const [to, setTo] = useState("12:00");
  const [notes, setNotes] = useState("");
  const place = useAsyncAction(async () => {
    const windowFrom = wallClockInstant(day, from);
    const windowTo = wallClockInstant(day, to);
    if (!resident || !windowFrom || !windowTo) return;
    await careApi.placeOrder({
      residentId: resident.id,
      service,
      window: { from: windowFrom, to: windowTo },
      notes,
    });
    setResident(null);
    setQuery("");
    setNotes("");
    onPlaced();
  });
  return (
    <form
      className="care-form"
      data-testid="order-form"
      onSubmit={(e) => {
        e.preventDefault();
        void place.run();
      }}
    >
      <fieldset>
        <legend>{t("care.orders.new")}</legend>
        {resident ? (
          <span data-testid="order-resident">
            {resident.name} · {resident.address}{" "}
            <button type="button" className="btn btn-ghost" onClick={() => setResident(null)}>
              {t("care.orders.otherResident")}
            </button>
          </span>
        ) : (
          <ResidentSearch
            inputRef={inputRef}
            query={query}
            onQuery={setQuery}
            openCaseOf={() => undefined}
            onPick={setResident}
          />
        )}
        <select
          data-testid="order-service"
          value={service}
          onChange={(e) => setService(e.target.value as ServiceKind)}
        >
          {SERVICE_KINDS.map((s) => (
            <option key={s} value={s}>
              {t(`service.${s}`)}
            </option>
          ))}
        </select>
        <input
          type="date"
          data-testid="order-day"
          value={day}
          onChange={(e) => setDay(e.target.value)}
          aria-label={t("care.orders.day")}
        />
        <input
          type="time"
          data-testid="order-from"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          aria-label={t("care.orders.from")}
        />
        <input
          type="time"
          data-testid="order-to"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          aria-label={t("care.orders.to")}
        />
        <input
          data-testid="order-notes"
          value={notes}
          placeholder={t("care.orders.notes")}
          onChange={(e) => setNotes(e.target.value)}
          maxLength={500}
        />
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="order-place"
          disabled={!resident || place.busy}
        >
          {t("care.orders.place")}
        </button>
        {place.error && <p className="error">{place.error}</p>}
      </fieldset>
    </form>
  );
}

function OrderRow(props: {
  o: ServiceOrder;
  team: readonly ResponderSummary[];
  mayManage: boolean;
  onChanged: () => void;
}) {
  const { o, mayManage, onChanged } = props;
  const { t } = useTranslation();
  const [responderId, setResponderId] = useState("");
  const [reason, setReason] = useState("");
  const act = useAsyncAction(async (fn: () => Promise<unknown>) => {
    await fn();
    onChanged();
  });
  const fit = props.team.filter((r) => r.communityId === o.communityId && r.skills.includes(o.service));
  const open = o.status !== "done" && o.status !== "cancelled";
  return (
    <tr data-testid={`order-${o.id}`} data-status={o.status} className={o.overdue ? "care-overdue" : ""}>
      <td>{t(`service.${o.service}`)}</td>
      <td>
        {o.residentName}
        <div className="muted">{o.address}</div>
      </td>
      <td>
        {formatShortDateTime(o.window.from)}–{formatShortDateTime(o.window.to).slice(6)}
        {o.overdue && <div className="error">{t("care.orders.overdue")}</div>}
      </td>
      <td data-testid={`order-status-${o.id}`}>{t(`care.orderStatus.${o.status}`)}</td>
      <td>{o.responderName ?? "—"}</td>
      <td>
        {mayManage && open && o.status !== "in_progress" && (
          <>
            <select
              value={responderId}
              onChange={(e) => setResponderId(e.target.value)}
              data-testid={`order-assignee-${o.id}`}
            >
              <option value="">{t("care.orders.pick")}</option>
              {fit.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} · {t(`responderRole.${r.role}`)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn"
              disabled={responderId === "" || act.busy}
              onClick={() => void act.run(() => careApi.assignOrder(o.id, Number(responderId)))}
            >
              {t("care.orders.assign")}
            </button>
            {(o.status === "queued" || o.status === "assigned") && (
              <button
                type="button"
                className="btn"
                data-testid={`order-publish-${o.id}`}
                disabled={act.busy}
                onClick={() => void act.run(() => careApi.publishOrder(o.id))}
              >
                {t("care.orders.publish")}
              </button>
            )}
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t("care.orders.reason")}
            />
            <button
              type="button"
              className="btn btn-ghost"
              disabled={reason.trim() === "" || act.busy}
              onClick={() => void act.run(() => careApi.cancelOrder(o.id, reason))}
            >
              {t("care.orders.cancel")}
            </button>
          </>
        )}
        {act.error && <p className="error">{act.error}</p>}
      </td>
    </tr>
  );
}

export default function OrdersPage() {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const [status, setStatus] = useState("open");
  const orders = useLoad(() => careApi.orders(status), [status, reload]);
  const team = useLoad(() => api.responders(), []);
  useEffect(() => onOrderEvent(() => setReload((n) => n + 1)), []);
  const mayManage = useCan()("order.manage");
  const refresh = () => setReload((n) => n + 1);
  return (
    <section className="panel" aria-labelledby="orders-title">
      <div className="panel-head">
        <h2 id="orders-title">{t("care.orders.title")}</h2>
        <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="orders-filter">
          {["open", "queued", "published", "assigned", "confirmed", "in_progress", "done", "cancelled"].map(
            (s) => (
              <option key={s} value={s}>
                {s === "open" ? t("care.orders.allOpen") : t(`care.orderStatus.${s as "queued"}`)}
              </option>
            ),
          )}
        </select>
        <button type="button" className="btn btn-ghost" onClick={refresh}>
          {t("care.refresh")}
        </button>
      </div>
      {mayManage && <NewOrder onPlaced={refresh} />}
      {orders.error && <p className="error">{orders.error}</p>}
      <div className="table-wrap">
        <table className="table" data-testid="orders-table">
          <thead>
            <tr>
              <th>{t("care.orders.service")}</th>
              <th>{t("care.orders.resident")}</th>
              <th>{t("care.orders.window")}</th>
              <th>{t("care.orders.status")}</th>
              <th>{t("care.orders.responder")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {orders.data?.map((o) => (
              <OrderRow key={o.id} o={o} team={team.data ?? []} mayManage={mayManage} onChanged={refresh} />
            ))}
          </tbody>
        </table>
        {orders.data?.length === 0 && <p className="muted">{t("care.orders.empty")}</p>}
      </div>
    </section>
  );
}

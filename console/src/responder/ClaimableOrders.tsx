// The phone's service orders (党员接单): published orders of the responder's community they can
// do, to claim; their own orders, to confirm, start, finish with the minutes spent, or hand back.
// A reminder before the window shows on top. Calm: no sound, unlike an emergency offer.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ServiceOrder } from "../../../protocol/api.ts";
import { careApi } from "../care/api.ts";
import { onOrderEvent } from "../care/order-events.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { formatShortDateTime } from "../lib/format.ts";

function MyOrder({ o, onChanged }: { o: ServiceOrder; onChanged: () => void }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState("60");
  const [report, setReport] = useState("");
  const act = useAsyncAction(async (fn: () => Promise<unknown>) => {
    await fn();
    onChanged();
  });
  return (
    <li className="card" data-testid={`my-order-${o.id}`} data-status={o.status}>
      <OrderLine o={o} />
      <div className="phone-actions">
        {o.status === "assigned" && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void act.run(() => careApi.confirmOrder(o.id))}
          >
            {t("care.phone.confirm")}
          </button>
        )}
        {(o.status === "assigned" || o.status === "confirmed") && (
          <>
            <button
              type="button"
              className="btn btn-primary"
              data-testid={`order-start-${o.id}`}
              onClick={() => void act.run(() => careApi.startOrder(o.id))}
            >
              {t("care.phone.start")}
            </button>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => void act.run(() => careApi.releaseOrder(o.id))}
            >
              {t("care.phone.release")}
            </button>
          </>
        )}
        {o.status === "in_progress" && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act.run(() => careApi.finishOrder(o.id, { minutes: Math.round(Number(minutes)), report }));
            }}
          >
            <label>
              {t("care.phone.minutes")}
              <input
                type="number"
                min={1}
                max={720}
                value={minutes}
                onChange={(e) => setMinutes(e.target.value)}
              />
            </label>
            <textarea
              value={report}
              onChange={(e) => setReport(e.target.value)}
              placeholder={t("care.phone.report")}
              data-testid={`order-report-${o.id}`}
            />
            <button
              type="submit"
              className="btn btn-primary"
              disabled={report.trim() === ""}
              data-testid={`order-done-${o.id}`}
            >
              {t("care.phone.done")}
            </button>
          </form>
        )}
      </div>
      {act.error && (
        <p className="form-error" role="alert">
          {act.error}
        </p>
      )}
    </li>
  );
}

function OrderLine({ o }: { o: ServiceOrder }) {
  const { t } = useTranslation();
  return (
    <>
      <strong>{t(`service.${o.service}`)}</strong> · {o.residentName}
      <div className="muted">{o.address}</div>
      <div>
        {formatShortDateTime(o.window.from)}–{formatShortDateTime(o.window.to).slice(6)}
      </div>
      {o.notes && <div className="muted">{o.notes}</div>}
    </>
  );
}

export function ClaimableOrders() {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const [reminder, setReminder] = useState<ServiceOrder | null>(null);
  const orders = useLoad(() => careApi.myOrders(), [reload]);
  useEffect(
    () =>
      onOrderEvent((e) => {
        if (e.kind === "reminder") setReminder(e.order);
        setReload((n) => n + 1);
      }),
    [],
  );
  const claim = useAsyncAction(async (id: number) => {
    await careApi.claimOrder(id);
    setReload((n) => n + 1);
  });
  const refresh = () => setReload((n) => n + 1);
  const data = orders.data;
  if (!data || (data.claimable.length === 0 && data.mine.length === 0 && !reminder)) return null;
  return (
    <section className="card" data-testid="service-orders">
      {reminder && (
        <p className="banner banner-info" role="status" data-testid="order-reminder">
          {t("care.phone.reminder", {
            service: t(`service.${reminder.service}`),
            at: formatShortDateTime(reminder.window.from),
          })}
        </p>
      )}
      {data.mine.length > 0 && (
        <>
          <h2>{t("care.phone.mine")}</h2>
          <ul className="care-list">
            {data.mine.map((o) => (
              <MyOrder key={o.id} o={o} onChanged={refresh} />
            ))}
          </ul>
        </>
      )}
      {data.claimable.length > 0 && (
        <>
          <h2>{t("care.phone.claimable")}</h2>
          <ul className="care-list" data-testid="claimable-orders">
            {data.claimable.map((o) => (
              <li key={o.id} className="card" data-testid={`claimable-${o.id}`}>
                <OrderLine o={o} />
                <button
                  type="button"
                  className="btn btn-primary"
                  data-testid={`claim-${o.id}`}
                  disabled={claim.busy}
                  onClick={() => void claim.run(o.id)}
                >
                  {t("care.phone.claim")}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {claim.error && (
        <p className="form-error" role="alert">
          {claim.error}
        </p>
      )}
    </section>
  );
}

// A resident's daily check-in (每日平安报) on their page: on or off and the hour, changed by those
// who keep care facts (read-only for everyone else), and how today stands — checked in at …, not
// yet, or silent past the hour with the welfare check it raised.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CheckInPlan } from "../../../protocol/api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { formatClock, isToday } from "../lib/format.ts";
import { useCan } from "../registers/can.ts";
import { Field } from "../registers/Field.tsx";
import { store } from "../store.ts";
import { careApi } from "./api.ts";

export function CheckInPanel(props: { residentId: number; retired: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const may = useCan();
  const [saved, setSaved] = useState<CheckInPlan | null>(null);
  const loaded = useLoad(() => careApi.checkIn(props.residentId), [props.residentId]);
  const plan = saved ?? loaded.data;
  const editable = may("resident.care") && !props.retired;
  return (
    <section className="panel reg-page" aria-labelledby="check-in-title" data-testid="check-in">
      <h3 id="check-in-title">{t("care.checkIn.title")}</h3>
      {loaded.error && <p className="form-error">{loaded.error}</p>}
      {plan && <TodayLine plan={plan} />}
      {plan && editable && (
        <CheckInForm
          key={`${plan.enabled}-${plan.dueTime}`}
          plan={plan}
          onSaved={(next) => {
            setSaved(next);
            props.onChanged();
          }}
        />
      )}
      {plan && !editable && (
        <p data-testid="check-in-plan">
          {plan.enabled ? t("care.checkIn.everyDay", { time: plan.dueTime }) : t("care.checkIn.off")}
        </p>
      )}
    </section>
  );
}

function CheckInForm(props: { plan: CheckInPlan; onSaved: (p: CheckInPlan) => void }) {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState(props.plan.enabled);
  const [dueTime, setDueTime] = useState(props.plan.dueTime);
  const save = useAsyncAction(async () =>
    props.onSaved(await careApi.setCheckIn(props.plan.residentId, { enabled, dueTime })),
  );
  const unchanged = enabled === props.plan.enabled && dueTime === props.plan.dueTime;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <form className="reg-inline-form" onSubmit={submit} aria-label={t("care.checkIn.title")}>
      <label className="field-inline">
        <input
          type="checkbox"
          data-testid="check-in-enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        <span>{t("care.checkIn.enabled")}</span>
      </label>
      <Field label={t("care.checkIn.dueTime")} hint={t("care.checkIn.dueHint")}>
        <input
          type="time"
          data-testid="check-in-time"
          required
          value={dueTime}
          onChange={(e) => setDueTime(e.target.value)}
        />
      </Field>
      <button
        type="submit"
        className="btn btn-primary reg-inline-button"
        data-testid="check-in-save"
        disabled={unchanged || dueTime === "" || save.busy}
      >
        {t("registers.form.save")}
      </button>
      {save.error && (
        <span className="form-error" role="alert">
          {save.error}
        </span>
      )}
    </form>
  );
}

/** Today, on the platform's calendar. */
function TodayLine({ plan }: { plan: CheckInPlan }) {
  const { t } = useTranslation();
  if (!plan.enabled) return null;
  const due = formatClock(plan.dueAt);
  const checkedIn = plan.lastActivityAt !== null && isToday(plan.lastActivityAt, Date.now());
  if (checkedIn) {
    return (
      <p className="check-in-today" data-testid="check-in-today" data-state="checked_in">
        {t("care.checkIn.checkedIn", { time: formatClock(plan.lastActivityAt!) })}
      </p>
    );
  }
  if (!plan.missedToday) {
    return (
      <p className="check-in-today muted" data-testid="check-in-today" data-state="waiting">
        {t("care.checkIn.notYet", { time: due })}
      </p>
    );
  }
  const caseId = plan.raisedToday ? plan.raisedCaseId : null;
  return (
    <p className="check-in-today care-warning" data-testid="check-in-today" data-state="missed">
      {caseId === null
        ? t("care.checkIn.missedRaising", { time: due })
        : t("care.checkIn.missed", { time: due })}
      {caseId !== null && (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          data-testid="check-in-case"
          onClick={() => store.selectCase(caseId)}
        >
          {t("care.checkIn.openCase", { id: caseId })}
        </button>
      )}
    </p>
  );
}

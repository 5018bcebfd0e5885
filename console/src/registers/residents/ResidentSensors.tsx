// A resident's home-sensor rules: how long the motion sensor may stay silent by day and by night
// before someone checks on them, when night is, and (for a resident with dementia) the hours in
// which an opened door warns the duty desk. Read by anyone who may read the resident, changed by
// those who keep care facts; every change is in the record's history.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { SensorSettingsSchema, type SensorSettings } from "../../../../protocol/sensors.ts";
import { errorText } from "../../i18n.ts";
import { useLoad } from "../../hooks/useLoad.ts";
import { useCan } from "../can.ts";
import { Field } from "../Field.tsx";
import { validate } from "../field-errors.ts";
import { registers } from "../api.ts";

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

export function ResidentSensors({
  residentId,
  retired,
  onSaved,
}: {
  residentId: number;
  retired: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const loaded = useLoad(() => registers.sensorSettings(residentId), [residentId]);
  if (!loaded.data) {
    return (
      <section className="panel reg-page" data-testid="resident-sensors">
        <h3>{t("registers.sensors.title")}</h3>
        <p className={loaded.error ? "form-error" : "muted"}>{loaded.error ?? t("common.loading")}</p>
      </section>
    );
  }
  return (
    <SensorForm
      key={residentId}
      residentId={residentId}
      initial={loaded.data}
      readOnly={retired}
      onSaved={onSaved}
    />
  );
}

function SensorForm(props: {
  residentId: number;
  initial: SensorSettings;
  readOnly: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const mayChange = useCan()("resident.care") && !props.readOnly;
  const [v, setV] = useState(props.initial);
  const [saved, setSaved] = useState(props.initial);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const errors = validate(SensorSettingsSchema, v);
  const dirty = (Object.keys(v) as (keyof SensorSettings)[]).some((k) => v[k] !== saved[k]);
  const set = <K extends keyof SensorSettings>(k: K, value: SensorSettings[K]) => {
    setDone(false);
    setV((prev) => ({ ...prev, [k]: value }));
  };
  const minutes = (k: "inactivityDayMinutes" | "inactivityNightMinutes") => (
    <input
      type="number"
      inputMode="numeric"
      min={30}
      max={24 * 60}
      step={15}
      value={Number.isFinite(v[k]) ? v[k] : ""}
      disabled={!mayChange}
      data-testid={`sensors-${k}`}
      onChange={(e) => set(k, e.target.value === "" ? Number.NaN : Math.trunc(Number(e.target.value)))}
    />
  );
  const time = (k: "nightStart" | "nightEnd" | "doorFrom" | "doorTo", disabled = false) => (
    <input
      type="time"
      value={v[k]}
      disabled={!mayChange || disabled}
      data-testid={`sensors-${k}`}
      onChange={(e) => set(k, e.target.value)}
    />
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(errors).length > 0 || !dirty) return;
    setBusy(true);
    setFailure(null);
    registers.saveSensorSettings(props.residentId, v).then(
      (next) => {
        setBusy(false);
        setSaved(next);
        setV(next);
        setDone(true);
        props.onSaved();
      },
      (err: unknown) => {
        setBusy(false);
        setFailure(errorText(err));
      },
    );
  };
  return (
    <section className="panel reg-page" aria-labelledby="sensors-of-resident" data-testid="resident-sensors">
      <h3 id="sensors-of-resident">{t("registers.sensors.title")}</h3>
      <p className="muted">{t("registers.sensors.intro")}</p>
      <form className="reg-form" onSubmit={submit} aria-labelledby="sensors-of-resident">
        <fieldset className="reg-group">
          <legend>{t("registers.sensors.inactivity")}</legend>
          <Field
            label={t("registers.sensors.dayMinutes")}
            error={errors.inactivityDayMinutes}
            hint={t("registers.sensors.hours", { hours: hours(v.inactivityDayMinutes) })}
          >
            {minutes("inactivityDayMinutes")}
          </Field>
          <Field
            label={t("registers.sensors.nightMinutes")}
            error={
              errors.inactivityNightMinutes &&
              (v.inactivityNightMinutes < v.inactivityDayMinutes
                ? t("registers.sensors.nightLonger")
                : errors.inactivityNightMinutes)
            }
            hint={t("registers.sensors.hours", { hours: hours(v.inactivityNightMinutes) })}
          >
            {minutes("inactivityNightMinutes")}
          </Field>
          <Field label={t("registers.sensors.nightStart")} error={errors.nightStart}>
            {time("nightStart")}
          </Field>
          <Field label={t("registers.sensors.nightEnd")} error={errors.nightEnd}>
            {time("nightEnd")}
          </Field>
        </fieldset>
        <fieldset className="reg-group">
          <legend>{t("registers.sensors.door")}</legend>
          <label className="reg-field-wide reg-checks">
            <input
              type="checkbox"
              checked={v.doorWatch}
              disabled={!mayChange}
              data-testid="sensors-doorWatch"
              onChange={(e) => set("doorWatch", e.target.checked)}
            />{" "}
            {t("registers.sensors.doorWatch")}
          </label>
          <Field label={t("registers.sensors.doorFrom")} error={errors.doorFrom}>
            {time("doorFrom", !v.doorWatch)}
          </Field>
          <Field label={t("registers.sensors.doorTo")} error={errors.doorTo}>
            {time("doorTo", !v.doorWatch)}
          </Field>
        </fieldset>
        {failure && (
          <p className="form-error" role="alert">
            {failure}
          </p>
        )}
        {mayChange ? (
          <div className="action-row">
            <button
              type="submit"
              className="btn btn-primary"
              data-testid="sensors-save"
              disabled={busy || !dirty || Object.keys(errors).length > 0}
            >
              {busy ? t("registers.form.saving") : t("registers.form.save")}
            </button>
            {done && (
              <span className="muted" role="status" data-testid="sensors-saved">
                {t("registers.form.saved")}
              </span>
            )}
          </div>
        ) : (
          <p className="muted">{t("registers.form.readOnly")}</p>
        )}
      </form>
    </section>
  );
}

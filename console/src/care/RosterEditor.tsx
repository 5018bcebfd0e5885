// One responder's roster: weekly patterns, exceptions (leave, extra shifts) and the next shifts
// they make; managers add and remove them.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { WEEKDAYS, type ShiftExceptionKind, type Weekday } from "../../../protocol/api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { formatShortDateTime, todayInput, wallClockInstant } from "../lib/format.ts";
import { careApi } from "./api.ts";

export function RosterEditor(props: { responderId: number; mayEdit: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const roster = useLoad(() => careApi.roster(props.responderId), [props.responderId, reload]);
  const changed = () => {
    setReload((n) => n + 1);
    props.onChanged();
  };

  const [days, setDays] = useState<Weekday[]>(["MO", "TU", "WE", "TH", "FR"]);
  const [start, setStart] = useState("08:00");
  const [hours, setHours] = useState("8");
  const [from, setFrom] = useState(todayInput());
  const addPattern = useAsyncAction(async () => {
    await careApi.addPattern(props.responderId, {
      days,
      start,
      minutes: Math.round(Number(hours) * 60),
      from,
      until: null,
      note: "",
    });
    changed();
  });

  const [kind, setKind] = useState<ShiftExceptionKind>("off");
  const [exDay, setExDay] = useState(todayInput());
  const [exFrom, setExFrom] = useState("08:00");
  const [exTo, setExTo] = useState("20:00");
  const addException = useAsyncAction(async () => {
    const startsAt = wallClockInstant(exDay, exFrom);
    const endsAt = wallClockInstant(exDay, exTo);
    if (!startsAt || !endsAt) return;
    await careApi.addException(props.responderId, { kind, startsAt, endsAt, note: "" });
    changed();
  });
  const remove = useAsyncAction(async (what: "pattern" | "exception", id: number) => {
    await (what === "pattern" ? careApi.removePattern(id) : careApi.removeException(id));
    changed();
  });

  const r = roster.data;
  return (
    <div className="care-editor" data-testid="roster-editor">
      {roster.error && <p className="error">{roster.error}</p>}
      <h4>{t("care.roster.patterns")}</h4>
      <ul className="care-list" data-testid="roster-patterns">
        {r?.patterns.map((p) => (
          <li key={p.id}>
            {p.days.map((d) => t(`care.weekday.${d}`)).join(t("common.listSeparator"))} {p.start} ·{" "}
            {t("care.roster.hoursLong", { hours: p.minutes / 60 })} ·{" "}
            {t("care.roster.fromDay", { day: p.from })}
            {props.mayEdit && (
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => void remove.run("pattern", p.id)}
              >
                {t("care.remove")}
              </button>
            )}
          </li>
        ))}
      </ul>
      <h4>{t("care.roster.exceptions")}</h4>
      <ul className="care-list" data-testid="roster-exceptions">
        {r?.exceptions.map((e) => (
          <li key={e.id}>
            {t(`care.exception.${e.kind}`)} · {formatShortDateTime(e.startsAt)}–
            {formatShortDateTime(e.endsAt)}
            {props.mayEdit && (
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => void remove.run("exception", e.id)}
              >
                {t("care.remove")}
              </button>
            )}
          </li>
        ))}
      </ul>
      <h4>{t("care.roster.upcoming")}</h4>
      <ul className="care-list" data-testid="roster-upcoming">
        {r?.upcoming.slice(0, 7).map((s) => (
          <li key={s.startsAt}>
            {formatShortDateTime(s.startsAt)}–{formatShortDateTime(s.endsAt)}
          </li>
        ))}
      </ul>
      {props.mayEdit && (
        <>
          <form
            className="care-form"
            data-testid="pattern-form"
            onSubmit={(e) => {
              e.preventDefault();
              void addPattern.run();
            }}
          >
            <fieldset>
              <legend>{t("care.roster.addPattern")}</legend>
              {WEEKDAYS.map((d) => (
                <label key={d} className="field-inline">
                  <input
                    type="checkbox"
                    data-testid={`day-${d}`}
                    checked={days.includes(d)}
                    onChange={(e) =>
                      setDays(
                        e.target.checked
                          ? WEEKDAYS.filter((x) => x === d || days.includes(x))
                          : days.filter((x) => x !== d),
                      )
                    }
                  />
                  {t(`care.weekday.${d}`)}
                </label>
              ))}
              <label className="field-inline">
                <span>{t("care.roster.start")}</span>
                <input
                  type="time"
                  data-testid="pattern-start"
                  value={start}
                  onChange={(e) => setStart(e.target.value)}
                />
              </label>
              <label className="field-inline">
                <span>{t("care.roster.hours")}</span>
                <input
                  type="number"
                  min={0.5}
                  max={24}
                  step={0.5}
                  data-testid="pattern-hours"
                  value={hours}
                  onChange={(e) => setHours(e.target.value)}
                />
              </label>
              <label className="field-inline">
                <span>{t("care.roster.from")}</span>
                <input
                  type="date"
                  data-testid="pattern-from"
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                />
              </label>
              <button type="submit" className="btn" data-testid="pattern-add" disabled={addPattern.busy}>
                {t("care.add")}
              </button>
              {addPattern.error && <p className="error">{addPattern.error}</p>}
            </fieldset>
          </form>
          <form
            className="care-form"
            data-testid="exception-form"
            onSubmit={(e) => {
              e.preventDefault();
              void addException.run();
            }}
          >
            <fieldset>
              <legend>{t("care.roster.addException")}</legend>
              <select
                data-testid="exception-kind"
                value={kind}
                onChange={(e) => setKind(e.target.value as ShiftExceptionKind)}
              >
                <option value="off">{t("care.exception.off")}</option>
                <option value="extra">{t("care.exception.extra")}</option>
              </select>
              <input
                type="date"
                value={exDay}
                onChange={(e) => setExDay(e.target.value)}
                aria-label={t("care.roster.day")}
              />
              <input
                type="time"
                value={exFrom}
                onChange={(e) => setExFrom(e.target.value)}
                aria-label={t("care.roster.start")}
              />
              <input
                type="time"
                value={exTo}
                onChange={(e) => setExTo(e.target.value)}
                aria-label={t("care.roster.end")}
              />
              <button type="submit" className="btn" disabled={addException.busy}>
                {t("care.add")}
              </button>
              {addException.error && <p className="error">{addException.error}</p>}
            </fieldset>
          </form>
          {remove.error && <p className="error">{remove.error}</p>}
        </>
      )}
    </div>
  );
}

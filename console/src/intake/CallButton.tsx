// A phone number staff can ring from a case: the tel: link dials (softphone or desk phone), and
// the same click opens a short form to log how the call went, so every outbound call is on record.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { CALL_OUTCOMES, type CallOutcome, type CallParty } from "../../../protocol/domain.ts";
import { ApiError } from "../api.ts";
import { telHref } from "../lib/format.ts";
import { useCan } from "../registers/can.ts";
import { store } from "../store.ts";
import { intakeApi } from "./api.ts";

export function CallButton({
  caseId,
  number,
  party,
  name,
}: {
  caseId: number | null;
  number: string;
  party: CallParty;
  name?: string | undefined;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<CallOutcome>("reached");
  const [note, setNote] = useState("");
  const [said, setSaid] = useState<string | null>(null);
  if (caseId === null || !can("case.dispatch")) return <a href={telHref(number)}>{number}</a>;

  const save = async () => {
    try {
      const c = await intakeApi.logCall(caseId, {
        direction: "outbound",
        party,
        number,
        ...(name ? { name } : {}),
        outcome,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      store.upsertCase(c);
      setOpen(false);
      setNote("");
      setSaid(t("intake.call.saved"));
    } catch (err) {
      setSaid(t("intake.call.failed", { message: err instanceof ApiError ? err.message : String(err) }));
    }
  };

  return (
    <span className="call-log" data-testid={`call-${party}-${number}`}>
      <a href={telHref(number)}>{number}</a>
      <a
        href={telHref(number)}
        className="btn btn-small btn-secondary"
        aria-label={t("intake.call.label", { number })}
        data-testid="call-button"
        onClick={() => {
          setSaid(null);
          setOpen(true);
        }}
      >
        {t("intake.call.button")}
      </a>
      {open && (
        <span className="call-log" role="group" aria-label={t("intake.call.label", { number })}>
          <label htmlFor={`${id}-outcome`} className="sr-only">
            {t("intake.call.outcome")}
          </label>
          <select
            id={`${id}-outcome`}
            data-testid="call-outcome"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as CallOutcome)}
          >
            {CALL_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`callOutcome.${o}`)}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-note`} className="sr-only">
            {t("intake.call.note")}
          </label>
          <input
            id={`${id}-note`}
            placeholder={t("intake.call.note")}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <button
            type="button"
            className="btn btn-small btn-primary"
            data-testid="call-save"
            onClick={() => void save()}
          >
            {t("intake.call.save")}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(false)}>
            {t("intake.call.cancel")}
          </button>
        </span>
      )}
      {said && (
        <span className="muted small" role="status">
          {said}
        </span>
      )}
    </span>
  );
}

// Staff actions on a case. Which ones show depends on the status (the server has the final say).
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import {
  ESCALATION_TARGETS,
  FOLLOW_UP_OUTCOMES,
  isActiveStatus,
  isFollowUpStatus,
  type EscalationTarget,
  type FollowUpOutcome,
} from "../../../protocol/domain.ts";
import { api } from "../api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { formatTimestamp } from "../lib/format.ts";

interface Props {
  c: CaseSummary;
  onChanged: (c: CaseSummary) => void;
}

/** A small form that submits one action and shows its error next to it. */
function ActionForm(props: {
  title: string;
  submitLabel: string;
  testId: string;
  danger?: boolean;
  disabled?: boolean;
  onSubmit: () => Promise<unknown>;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const action = useAsyncAction(props.onSubmit);
  const [done, setDone] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    void action.run().then((ok) => setDone(ok));
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={props.title}>
      <h4>{props.title}</h4>
      {props.children}
      <div className="action-row">
        <button
          type="submit"
          className={props.danger ? "btn btn-danger" : "btn btn-primary"}
          data-testid={props.testId}
          disabled={action.busy || props.disabled}
        >
          {props.submitLabel}
        </button>
        {done && !action.error && <span className="ok-text">{t("actions.ok")}</span>}
        {action.error && (
          <span className="form-error" role="alert">
            {action.error}
          </span>
        )}
      </div>
    </form>
  );
}

export function CaseActions({ c, onChanged }: Props) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<EscalationTarget>("staff");
  const [escalateNote, setEscalateNote] = useState("");
  const [note, setNote] = useState("");
  const [resolution, setResolution] = useState("");
  const [outcome, setOutcome] = useState<FollowUpOutcome>("reached_ok");
  const [followNote, setFollowNote] = useState("");
  const [closeAfter, setCloseAfter] = useState(true);
  const [reason, setReason] = useState("");
  const ack = useAsyncAction(async () => onChanged(await api.ack(c.id)));
  const active = isActiveStatus(c.status);
  const awaitingFollowUp = isFollowUpStatus(c.status);
  const closed = c.status === "closed";

  return (
    <section className="drawer-section actions" aria-labelledby="actions-title">
      <h3 id="actions-title">{t("actions.title")}</h3>
      {c.staffAckAt === null ? (
        !closed && (
          <div className="action-row">
            <button
              type="button"
              className="btn btn-alarm btn-big"
              data-testid="drawer-ack"
              disabled={ack.busy}
              onClick={() => void ack.run()}
            >
              {t("actions.ack")}
            </button>
            {ack.error && <span className="form-error">{ack.error}</span>}
          </div>
        )
      ) : (
        <p className="ok-text" data-testid="acked">
          {t("actions.acked")} {formatTimestamp(c.staffAckAt, Date.now())}
        </p>
      )}

      {active && (
        <ActionForm
          title={t("actions.resolve")}
          submitLabel={t("actions.resolve")}
          testId="btn-resolve-case"
          disabled={resolution.trim() === ""}
          onSubmit={async () => {
            onChanged(await api.resolve(c.id, resolution.trim()));
            setResolution("");
          }}
        >
          <textarea
            data-testid="resolve-note"
            aria-label={t("actions.resolveNote")}
            placeholder={t("actions.resolveNote")}
            value={resolution}
            maxLength={2000}
            onChange={(e) => setResolution(e.target.value)}
          />
        </ActionForm>
      )}

      {awaitingFollowUp && (
        <ActionForm
          title={t("actions.followUp")}
          submitLabel={t("actions.followUp")}
          testId="btn-follow-up"
          onSubmit={async () =>
            onChanged(await api.followUp(c.id, outcome, followNote.trim() || undefined, closeAfter))
          }
        >
          <label className="field">
            <span>{t("actions.outcome")}</span>
            <select
              data-testid="follow-up-outcome"
              value={outcome}
              onChange={(e) => setOutcome(e.target.value as FollowUpOutcome)}
            >
              {FOLLOW_UP_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`outcome.${o}`)}
                </option>
              ))}
            </select>
          </label>
          <textarea
            data-testid="follow-up-note"
            aria-label={t("actions.followUpNote")}
            placeholder={t("actions.followUpNote")}
            value={followNote}
            maxLength={2000}
            onChange={(e) => setFollowNote(e.target.value)}
          />
          <label className="check">
            <input type="checkbox" checked={closeAfter} onChange={(e) => setCloseAfter(e.target.checked)} />
            {t("actions.closeAfterFollowUp")}
          </label>
        </ActionForm>
      )}

      {!closed && (
        <ActionForm
          title={t("actions.escalate")}
          submitLabel={t("actions.escalate")}
          testId="btn-escalate"
          onSubmit={async () => {
            onChanged(await api.escalate(c.id, target, escalateNote.trim() || undefined));
            setEscalateNote("");
          }}
        >
          <label className="field">
            <span>{t("actions.escalateTarget")}</span>
            <select
              data-testid="escalate-target"
              value={target}
              onChange={(e) => setTarget(e.target.value as EscalationTarget)}
            >
              {ESCALATION_TARGETS.map((x) => (
                <option key={x} value={x}>
                  {t(`escalation.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <input
            data-testid="escalate-note"
            aria-label={t("actions.escalateNote")}
            placeholder={t("actions.escalateNote")}
            value={escalateNote}
            maxLength={500}
            onChange={(e) => setEscalateNote(e.target.value)}
          />
        </ActionForm>
      )}

      {!closed && (
        <ActionForm
          title={t("actions.addNote")}
          submitLabel={t("actions.addNote")}
          testId="btn-add-note"
          disabled={note.trim() === ""}
          onSubmit={async () => {
            onChanged(await api.note(c.id, note.trim()));
            setNote("");
          }}
        >
          <textarea
            data-testid="note-text"
            aria-label={t("actions.notePlaceholder")}
            placeholder={t("actions.notePlaceholder")}
            value={note}
            maxLength={2000}
            onChange={(e) => setNote(e.target.value)}
          />
        </ActionForm>
      )}

      {active && (
        <ActionForm
          title={t("actions.cancel")}
          submitLabel={t("actions.cancel")}
          testId="btn-cancel-case"
          danger
          disabled={reason.trim() === ""}
          onSubmit={async () => {
            onChanged(await api.cancel(c.id, reason.trim()));
            setReason("");
          }}
        >
          <input
            data-testid="cancel-reason"
            aria-label={t("actions.cancelReason")}
            placeholder={t("actions.cancelReason")}
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
          />
        </ActionForm>
      )}
    </section>
  );
}

// Staff actions on a case. The follow-up call and, once someone is at the door, resolving are the
// main actions of their stage; everything else sits in a compact toolbar whose buttons open one
// small form at a time. Which ones show depends on the status (the server has the final say).
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary, PlatformInfo } from "../../../protocol/api.ts";
import {
  ESCALATION_TARGETS,
  FOLLOW_UP_CLOSES_BY_DEFAULT,
  FOLLOW_UP_OUTCOMES,
  FOLLOW_UP_PARTIES,
  isActiveStatus,
  isFollowUpStatus,
  type EscalationTarget,
  type FollowUpOutcome,
  type FollowUpParty,
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

/** The follow-up call (回访): whom it reached and how; only "fine" closes by default. */
export function FollowUpForm({ c, onChanged, retryMinutes }: Props & { retryMinutes: number }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<FollowUpOutcome>("reached_ok");
  const [party, setParty] = useState<FollowUpParty>("resident");
  const [note, setNote] = useState("");
  // null: the outcome decides (FOLLOW_UP_CLOSES_BY_DEFAULT) until staff tick the box themselves.
  const [close, setClose] = useState<boolean | null>(null);
  const answered = outcome !== "no_answer";
  const closing = answered && (close ?? FOLLOW_UP_CLOSES_BY_DEFAULT[outcome]);
  return (
    <ActionForm
      title={t("actions.followUp")}
      submitLabel={t("actions.followUp")}
      testId="btn-follow-up"
      onSubmit={async () => {
        onChanged(
          await api.followUp(c.id, {
            outcome,
            party,
            ...(note.trim() ? { note: note.trim() } : {}),
            close: closing,
          }),
        );
        setNote("");
        setClose(null);
      }}
    >
      <div className="action-row">
        <label className="field-inline">
          <span>{t("actions.party")}</span>
          <select
            data-testid="follow-up-party"
            value={party}
            onChange={(e) => setParty(e.target.value as FollowUpParty)}
          >
            {FOLLOW_UP_PARTIES.map((p) => (
              <option key={p} value={p}>
                {t(`callParty.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <span>{t("actions.outcome")}</span>
          <select
            data-testid="follow-up-outcome"
            value={outcome}
            onChange={(e) => {
              setOutcome(e.target.value as FollowUpOutcome);
              setClose(null);
            }}
          >
            {FOLLOW_UP_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <textarea
        data-testid="follow-up-note"
        aria-label={t("actions.followUpNote")}
        placeholder={t("actions.followUpNote")}
        value={note}
        maxLength={2000}
        onChange={(e) => setNote(e.target.value)}
      />
      {answered ? (
        <label className="check">
          <input
            type="checkbox"
            data-testid="follow-up-close"
            checked={closing}
            onChange={(e) => setClose(e.target.checked)}
          />
          {t("actions.closeAfterFollowUp")}
        </label>
      ) : (
        <p className="muted" data-testid="follow-up-retry-note">
          {t("actions.noAnswerRetry", { minutes: retryMinutes })}
        </p>
      )}
    </ActionForm>
  );
}

/** Closing without the follow-up call: only with a reason, which the follow-up list keeps. */
function SkipFollowUpForm({ c, onChanged }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  return (
    <ActionForm
      title={t("care.followUp.skip")}
      submitLabel={t("care.followUp.skip")}
      testId="btn-skip-follow-up"
      disabled={reason.trim() === ""}
      onSubmit={async () => {
        onChanged(await api.skipFollowUp(c.id, reason.trim()));
        setReason("");
      }}
    >
      <input
        data-testid="skip-follow-up-reason"
        aria-label={t("care.followUp.skipReason")}
        placeholder={t("care.followUp.skipReason")}
        value={reason}
        maxLength={500}
        onChange={(e) => setReason(e.target.value)}
      />
    </ActionForm>
  );
}

/** The visit's outcome, when someone is at the door (or staff resolve it by phone). */
export function ResolveForm({ c, onChanged }: Props) {
  const { t } = useTranslation();
  const [resolution, setResolution] = useState("");
  return (
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
  );
}

type ToolbarForm = "note" | "escalate" | "cancel" | "resolve" | null;

/** Acknowledge, note, escalate, cancel, resolve by hand: one line, one form open at a time. */
export function CaseToolbar({ c, onChanged }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ToolbarForm>(null);
  const [target, setTarget] = useState<EscalationTarget>("ambulance_120");
  const [escalateNote, setEscalateNote] = useState("");
  const [note, setNote] = useState("");
  const [reason, setReason] = useState("");
  const ack = useAsyncAction(async () => onChanged(await api.ack(c.id)));
  const active = isActiveStatus(c.status);
  if (c.status === "closed") return null;
  const toggle = (f: ToolbarForm) => setOpen((o) => (o === f ? null : f));
  const tool = (f: Exclude<ToolbarForm, null>, label: string, testId: string) => (
    <button
      type="button"
      className={`btn btn-secondary btn-small ${open === f ? "btn-pressed" : ""}`}
      aria-expanded={open === f}
      data-testid={testId}
      onClick={() => toggle(f)}
    >
      {label}
    </button>
  );
  return (
    <section className="drawer-section toolbar-section" aria-label={t("actions.toolbar")}>
      <div className="toolbar" role="toolbar" aria-label={t("actions.toolbar")}>
        {c.staffAckAt === null ? (
          <button
            type="button"
            className="btn btn-alarm btn-small"
            data-testid="drawer-ack"
            disabled={ack.busy}
            onClick={() => void ack.run()}
          >
            {t("actions.ack")}
          </button>
        ) : (
          <span className="ok-text" data-testid="acked">
            {t("actions.acked")} {formatTimestamp(c.staffAckAt, Date.now())}
          </span>
        )}
        {tool("escalate", t("actions.escalate"), "tool-escalate")}
        {tool("note", t("actions.addNote"), "tool-note")}
        {active && c.status !== "on_scene" && tool("resolve", t("actions.resolveAnyway"), "tool-resolve")}
        {active && tool("cancel", t("actions.cancel"), "tool-cancel")}
      </div>
      {ack.error && <p className="form-error">{ack.error}</p>}
      {open === "resolve" && <ResolveForm c={c} onChanged={onChanged} />}
      {open === "escalate" && (
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
      {open === "note" && (
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
      {open === "cancel" && (
        <ActionForm
          title={t("actions.cancel")}
          submitLabel={t("actions.cancel")}
          testId="btn-cancel-case"
          danger
          disabled={reason.trim() === ""}
          onSubmit={async () => {
            onChanged(await api.cancel(c.id, reason.trim()));
            setReason("");
            setOpen(null);
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

/** The stage's main action: the follow-up call, or resolving once someone is at the door. */
export function StageAction({ c, onChanged, platform }: Props & { platform: PlatformInfo | null }) {
  if (isFollowUpStatus(c.status))
    return (
      <section className="drawer-section" data-testid="stage-follow-up">
        <FollowUpForm c={c} onChanged={onChanged} retryMinutes={platform?.followUpRetryMinutes ?? 30} />
        <SkipFollowUpForm c={c} onChanged={onChanged} />
      </section>
    );
  if (c.status === "on_scene")
    return (
      <section className="drawer-section">
        <ResolveForm c={c} onChanged={onChanged} />
      </section>
    );
  return null;
}

// The job this responder is on: navigate first, then the steps (set off, arrived, and resolve only
// once at the door), calls that are logged, a note, asking for 120, and what to know about the
// resident. Every action goes through the outbox, so it also works without network.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseDetail, CaseSummary } from "../../../protocol/api.ts";
import { CALL_OUTCOMES, type CallOutcome, type CallParty } from "../../../protocol/domain.ts";
import { StatusBadge, useCaseTypeLabel } from "../case/labels.tsx";
import { telHref as tel } from "../lib/format.ts";
import { AwayBadge, Guidance } from "../case/Guidance.tsx";
import { navLinks, phoneIn } from "./maps.ts";
import type { PhoneAction, Outcome } from "./outbox.ts";
import { TextField } from "./TextField.tsx";

type Resident = CaseDetail["resident"];

interface Props {
  c: CaseSummary;
  resident: Resident | null;
  /** How far the responder's own queued actions have taken the case (not yet sent). */
  pending: "en_route" | "on_scene" | "resolved" | null;
  dutyDeskPhone: string | null;
  act: (a: PhoneAction) => Promise<Outcome>;
}

interface Dialled {
  party: CallParty;
  number: string;
  label: string;
}

export function ActiveCase({ c, resident, pending, dutyDeskPhone, act }: Props) {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const [busy, setBusy] = useState(false);
  const [resolveNote, setResolveNote] = useState("");
  const [note, setNote] = useState("");
  const [dialled, setDialled] = useState<Dialled | null>(null);
  const [askingHelp, setAskingHelp] = useState(false);
  const [helpNote, setHelpNote] = useState("");
  const [copied, setCopied] = useState(false);
  const status = pending ?? c.status;
  const links = navLinks(c, navigator.userAgent);

  const run = async (a: PhoneAction): Promise<Outcome> => {
    setBusy(true);
    try {
      return await act(a);
    } finally {
      setBusy(false);
    }
  };

  const keyHolderPhone = phoneIn(resident?.keyHolder ?? null);
  const calls: Dialled[] = [
    ...(resident
      ? [{ party: "resident" as const, number: resident.phone, label: t("responderApp.callResident") }]
      : []),
    ...(keyHolderPhone
      ? [{ party: "key_holder" as const, number: keyHolderPhone, label: t("responderApp.callKeyHolder") }]
      : []),
    ...(resident?.emergencyContacts ?? []).map((k) => ({
      party: "family" as const,
      number: k.phone,
      label: t("responderApp.callContact", { name: k.name, relation: k.relation }),
    })),
    ...(dutyDeskPhone
      ? [{ party: "duty_desk" as const, number: dutyDeskPhone, label: t("responderApp.callDutyDesk") }]
      : []),
  ];

  return (
    <article
      className="card active-card"
      data-testid="active-case"
      data-status={status}
      aria-labelledby="active-title"
    >
      <header className="offer-head">
        <h2 id="active-title">
          {t("responderApp.activeTitle")} · {typeLabel(c)}
        </h2>
        <StatusBadge status={status} testId="active-status" />
      </header>
      {pending && (
        <p className="pending-mark" data-testid="active-pending">
          {t("responderApp.queued")}
        </p>
      )}
      <p className="offer-resident">{c.residentName}</p>
      <p>
        {c.address} <AwayBadge location={c.location} />
      </p>
      <Guidance type={c.type} who="responder" />

      <a className="btn btn-primary btn-huge nav-primary" href={links.primary} data-testid="navigate">
        {t("responderApp.navigate")}
      </a>
      <div className="link-buttons">
        <a className="btn btn-ghost" href={links.amap} data-testid="navigate-amap">
          {t("responderApp.navigateAmap")}
        </a>
        <a className="btn btn-ghost" href={links.baidu} data-testid="navigate-baidu">
          {t("responderApp.navigateBaidu")}
        </a>
        <button
          type="button"
          className="btn btn-ghost"
          data-testid="copy-coordinates"
          onClick={() => {
            void navigator.clipboard?.writeText(links.coordinates).then(
              () => setCopied(true),
              () => undefined,
            );
          }}
        >
          {copied ? t("responderApp.copied") : t("responderApp.copy")}
        </button>
      </div>
      <p className="muted" data-testid="coordinates">
        {t("responderApp.coordinates", {
          lat: links.coordinates.split(", ")[0],
          lng: links.coordinates.split(", ")[1],
        })}
      </p>

      <div className="big-buttons">
        {status === "accepted" && (
          <button
            type="button"
            className="btn btn-secondary btn-huge"
            data-testid="btn-en-route"
            disabled={busy}
            onClick={() => void run({ kind: "en_route", caseId: c.id })}
          >
            {t("responderApp.enRoute")}
          </button>
        )}
        {(status === "accepted" || status === "en_route") && (
          <button
            type="button"
            className={status === "en_route" ? "btn btn-primary btn-huge" : "btn btn-secondary btn-huge"}
            data-testid="btn-arrived"
            disabled={busy}
            onClick={() => void run({ kind: "arrived", caseId: c.id })}
          >
            {t("responderApp.arrived")}
          </button>
        )}
      </div>

      <section className="phone-section" aria-label={t("responderApp.call")}>
        <div className="call-list">
          {calls.map((k) => (
            <a
              key={`${k.party}:${k.number}`}
              className="btn btn-secondary call-btn"
              href={tel(k.number)}
              data-testid={`call-${k.party}`}
              onClick={() => setDialled(k)}
            >
              {k.label} <span className="call-number">{k.number}</span>
            </a>
          ))}
        </div>
        {dialled && (
          <div className="call-result" data-testid="call-result" role="group">
            <p>{t("responderApp.callResult", { party: t(`callParty.${dialled.party}`) })}</p>
            <div className="link-buttons">
              {CALL_OUTCOMES.map((o: CallOutcome) => (
                <button
                  key={o}
                  type="button"
                  className="btn btn-secondary"
                  data-testid={`call-outcome-${o}`}
                  disabled={busy}
                  onClick={() => {
                    const { party, number } = dialled;
                    setDialled(null);
                    void run({
                      kind: "call",
                      caseId: c.id,
                      call: { direction: "outbound", party, number, outcome: o },
                    });
                  }}
                >
                  {t(`callOutcome.${o}`)}
                </button>
              ))}
              <button type="button" className="btn btn-ghost" onClick={() => setDialled(null)}>
                {t("responderApp.skip")}
              </button>
            </div>
          </div>
        )}
      </section>

      {status === "on_scene" ? (
        <section className="phone-section">
          <TextField
            label={t("responderApp.resolveNote")}
            testId="resolve-note"
            value={resolveNote}
            onChange={setResolveNote}
          />
          <button
            type="button"
            className="btn btn-primary btn-huge"
            data-testid="btn-resolve"
            disabled={busy || resolveNote.trim() === ""}
            onClick={() => void run({ kind: "resolve", caseId: c.id, note: resolveNote.trim() })}
          >
            {t("responderApp.resolve")}
          </button>
        </section>
      ) : (
        status !== "resolved" && (
          <p className="muted" data-testid="resolve-later">
            {t("responderApp.resolveAfterArrival")}
          </p>
        )
      )}

      <section className="phone-section">
        <TextField
          label={t("responderApp.note")}
          testId="note-text"
          value={note}
          placeholder={t("responderApp.notePlaceholder")}
          onChange={setNote}
        />
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="btn-note"
          disabled={busy || note.trim() === ""}
          onClick={() => {
            const text = note.trim();
            void run({ kind: "note", caseId: c.id, text }).then((o) => {
              if (o.kind !== "refused") setNote("");
            });
          }}
        >
          {t("responderApp.saveNote")}
        </button>
      </section>

      <section className="phone-section help-section">
        {!askingHelp ? (
          <button
            type="button"
            className="btn btn-danger btn-huge"
            data-testid="btn-ask-help"
            onClick={() => setAskingHelp(true)}
          >
            {t("responderApp.askHelp")}
          </button>
        ) : (
          <div data-testid="ask-help-confirm" role="group">
            <p className="help-question">{t("responderApp.askHelpConfirm")}</p>
            <TextField
              label={t("responderApp.askHelpNote")}
              testId="help-note"
              value={helpNote}
              maxLength={500}
              onChange={setHelpNote}
            />
            <div className="big-buttons">
              <button
                type="button"
                className="btn btn-danger btn-huge"
                data-testid="btn-ask-help-send"
                disabled={busy}
                onClick={() => {
                  const text = helpNote.trim();
                  setAskingHelp(false);
                  setHelpNote("");
                  void run({ kind: "help", caseId: c.id, ...(text ? { note: text } : {}) });
                }}
              >
                {t("responderApp.askHelpSend")}
              </button>
              <button
                type="button"
                className="btn btn-secondary btn-huge"
                onClick={() => setAskingHelp(false)}
              >
                {t("responderApp.back")}
              </button>
            </div>
          </div>
        )}
      </section>

      {resident && (
        <dl className="kv kv-big" data-testid="resident-essentials">
          <dt>{t("responderApp.conditions")}</dt>
          <dd>
            {resident.conditions.length
              ? resident.conditions.join(t("common.listSeparator"))
              : t("common.none")}
          </dd>
          <dt>{t("responderApp.keyHolder")}</dt>
          <dd>{resident.keyHolder ?? t("common.none")}</dd>
          <dt>{t("responderApp.contacts")}</dt>
          <dd>
            {resident.emergencyContacts.length === 0
              ? t("common.none")
              : resident.emergencyContacts.map((k) => (
                  <div key={`${k.name}:${k.phone}`}>
                    {t("drawer.contact", { name: k.name, relation: k.relation })} {k.phone}
                  </div>
                ))}
          </dd>
        </dl>
      )}
    </article>
  );
}

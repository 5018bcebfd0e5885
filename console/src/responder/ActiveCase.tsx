// The job this responder is on: who, where, what to know, and the three big steps.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { useCaseTypeLabel, StatusBadge } from "../case/labels.tsx";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { telHref as tel } from "../lib/format.ts";
import { store } from "../store.ts";
import { AwayBadge, Guidance } from "../case/Guidance.tsx";

function amapUrl(c: Pick<CaseSummary, "lat" | "lng" | "residentName">): string {
  const q = new URLSearchParams({
    position: `${c.lng},${c.lat}`,
    name: c.residentName,
    coordinate: "wgs84",
    callnative: "1",
    src: "eldercare110",
  });
  return `https://uri.amap.com/marker?${q.toString()}`;
}

function geoUrl(c: Pick<CaseSummary, "lat" | "lng" | "residentName">): string {
  return `geo:${c.lat},${c.lng}?q=${c.lat},${c.lng}(${encodeURIComponent(c.residentName)})`;
}

export function ActiveCase({ c, onResolved }: { c: CaseSummary; onResolved: () => void }) {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const [note, setNote] = useState("");
  // Without it (an error) the card still works from the summary.
  const resident = useLoad(() => api.caseDetail(c.id), [c.id]).data?.resident ?? null;

  const step = useAsyncAction(async (kind: "en_route" | "arrived" | "resolve") => {
    const next =
      kind === "en_route"
        ? await api.enRoute(c.id)
        : kind === "arrived"
          ? await api.arrived(c.id)
          : await api.resolve(c.id, note.trim());
    store.upsertCase(next);
    if (kind === "resolve") onResolved();
  });

  return (
    <article
      className="card active-card"
      data-testid="active-case"
      data-status={c.status}
      aria-labelledby="active-title"
    >
      <header className="offer-head">
        <h2 id="active-title">
          {t("responderApp.activeTitle")} · {typeLabel(c)}
        </h2>
        <StatusBadge status={c.status} testId="active-status" />
      </header>
      <p className="offer-resident">{c.residentName}</p>
      <p>
        {c.address} <AwayBadge location={c.location} />
      </p>
      <Guidance type={c.type} who="responder" />
      <div className="link-buttons">
        <a
          className="btn btn-secondary btn-big"
          href={amapUrl(c)}
          target="_blank"
          rel="noreferrer"
          data-testid="navigate"
        >
          {t("responderApp.navigate")}
        </a>
        <a className="btn btn-ghost btn-big" href={geoUrl(c)} data-testid="navigate-geo">
          {t("responderApp.navigateGeo")}
        </a>
        {resident && (
          <a className="btn btn-ghost btn-big" href={tel(resident.phone)} data-testid="call-resident">
            {t("responderApp.call")} {resident.phone}
          </a>
        )}
      </div>
      {resident && (
        <dl className="kv kv-big">
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
                    {t("drawer.contact", { name: k.name, relation: k.relation })}{" "}
                    <a href={tel(k.phone)}>{k.phone}</a>
                  </div>
                ))}
          </dd>
        </dl>
      )}
      {step.error && (
        <p className="form-error" role="alert">
          {step.error}
        </p>
      )}
      <div className="big-buttons">
        {c.status === "accepted" && (
          <button
            type="button"
            className="btn btn-primary btn-huge"
            data-testid="btn-en-route"
            disabled={step.busy}
            onClick={() => void step.run("en_route")}
          >
            {t("responderApp.enRoute")}
          </button>
        )}
        {(c.status === "accepted" || c.status === "en_route") && (
          <button
            type="button"
            className={c.status === "en_route" ? "btn btn-primary btn-huge" : "btn btn-secondary btn-huge"}
            data-testid="btn-arrived"
            disabled={step.busy}
            onClick={() => void step.run("arrived")}
          >
            {t("responderApp.arrived")}
          </button>
        )}
      </div>
      <label className="field">
        <span>{t("responderApp.resolveNote")}</span>
        <textarea
          data-testid="resolve-note"
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      <button
        type="button"
        className={c.status === "on_scene" ? "btn btn-primary btn-huge" : "btn btn-secondary btn-huge"}
        data-testid="btn-resolve"
        disabled={step.busy || note.trim() === ""}
        onClick={() => void step.run("resolve")}
      >
        {t("responderApp.resolve")}
      </button>
    </article>
  );
}

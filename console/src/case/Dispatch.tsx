// Ranked candidates with a one-click assign, those whose phone counts down this case's offer
// among them and those an offer would not reach after them; and any other open offer (its
// responder no longer a candidate, e.g. moved away).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Candidate, CaseSummary, OfferDto } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useNow } from "../hooks/useNow.ts";
import { distanceText, etaText } from "../i18n.ts";
import { formatDuration, formatTimestamp } from "../lib/format.ts";
import { secondsUntil } from "../lib/sla.ts";
import { ResponderPhone } from "../responders/ResponderPhone.tsx";

const CANDIDATES_SHOWN = 5;

/** How long the offer has been out and how long the phone still counts down. */
function OfferClock({ offer, now }: { offer: { createdAt: string; deadline: string }; now: number }) {
  const { t } = useTranslation();
  const left = secondsUntil(offer.deadline, now);
  const waiting = Math.max(0, (now - Date.parse(offer.createdAt)) / 1000);
  return (
    <>
      {t("drawer.offeredWaiting", { time: formatDuration(waiting) })} ·{" "}
      <span className={left <= 10 ? "countdown countdown-low" : "countdown"}>
        {t("drawer.countdown", { time: formatDuration(left) })}
      </span>
    </>
  );
}

/**
 * A phone an offer reaches only as a notification, or not at all: an unreachable one is never
 * offered, but staff may ring the responder and assign them, so they stay listed with Assign.
 */
function PhoneState({ candidate: k, now }: { candidate: Candidate; now: number }) {
  const { t } = useTranslation();
  return (
    <div data-testid={`candidate-phone-${k.responderId}`}>
      <span className={`badge phone-${k.phoneState}`}>{t(`phoneState.${k.phoneState}`)}</span>{" "}
      {k.lastSeenAt && (
        <span className="muted">
          {t("responders.lastSeen", { time: formatTimestamp(k.lastSeenAt, now) })}
        </span>
      )}
      {k.phoneState === "unreachable" && <div className="muted">{t("drawer.unreachableHint")}</div>}
    </div>
  );
}

/** The open offers of responders who are not in the candidate list (`listed`); nothing if none. */
export function Offers(props: {
  c: CaseSummary;
  offers: readonly OfferDto[];
  listed: readonly Candidate[];
  onChanged: (c: CaseSummary) => void;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const { c, offers, listed, onChanged } = props;
  const pending = offers.filter(
    (o) => o.status === "pending" && !listed.some((k) => k.responderId === o.responderId),
  );
  // After a phone call, staff can confirm a responder who holds an offer without waiting for the tap.
  const assign = useAsyncAction(async (responderId: number) =>
    onChanged(await api.assign(c.id, responderId)),
  );
  if (pending.length === 0) return null;
  return (
    <section className="drawer-section" aria-labelledby="offers-title">
      <h3 id="offers-title">{t("drawer.offers")}</h3>
      {assign.error && (
        <p className="form-error" role="alert">
          {assign.error}
        </p>
      )}
      <ul className="plain offers">
        {pending.map((o) => (
          <li key={o.id} data-testid={`drawer-offer-${o.id}`}>
            <strong>{o.responderName}</strong> <ResponderPhone id={o.responderId} /> ·{" "}
            {distanceText(o.distanceMeters)} · {t("drawer.eta", { eta: etaText(o.etaSeconds) })} ·{" "}
            <OfferClock offer={o} now={now} />{" "}
            <button
              type="button"
              className="btn"
              data-testid={`confirm-offer-${o.id}`}
              disabled={assign.busy}
              onClick={() => void assign.run(o.responderId)}
            >
              {t("drawer.assign")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Candidates(props: {
  c: CaseSummary;
  candidates: readonly Candidate[];
  onChanged: (c: CaseSummary) => void;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const { c, candidates, onChanged } = props;
  // The first few fit the first screen; the rest are one click away.
  const [all, setAll] = useState(false);
  const shown = all ? candidates : candidates.slice(0, CANDIDATES_SHOWN);
  const assign = useAsyncAction(async (responderId: number) =>
    onChanged(await api.assign(c.id, responderId)),
  );
  return (
    <section className="drawer-section" aria-labelledby="candidates-title">
      <h3 id="candidates-title">{t("drawer.candidates")}</h3>
      {assign.error && (
        <p className="form-error" role="alert">
          {assign.error}
        </p>
      )}
      {candidates.length === 0 ? (
        <p className="muted">{t("drawer.noCandidates")}</p>
      ) : (
        <table className="table candidates">
          <tbody>
            {shown.map((k) => (
              <tr
                key={k.responderId}
                data-testid={`candidate-${k.responderId}`}
                data-phone-state={k.phoneState}
                className={k.phoneState === "unreachable" ? "candidate-unreachable" : undefined}
              >
                <td>
                  <strong>{k.name}</strong> <ResponderPhone id={k.responderId} />
                  <div className="muted">
                    {t(`responderRole.${k.role}`)} · {t(`transport.${k.transport}`)}
                  </div>
                  {k.phoneState !== "live" && <PhoneState candidate={k} now={now} />}
                  {k.offer && (
                    <div className="muted" data-testid={`candidate-offer-${k.responderId}`}>
                      <OfferClock offer={k.offer} now={now} />
                    </div>
                  )}
                </td>
                <td className="num">
                  {t("drawer.eta", { eta: etaText(k.etaSeconds) })}
                  <div className="muted">{distanceText(k.distanceMeters)}</div>
                </td>
                <td>
                  {k.paired && <span className="badge badge-paired">{t("drawer.paired")}</span>}
                  {k.sameCommunity && (
                    <span className="badge badge-community">{t("drawer.sameCommunity")}</span>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-primary"
                    data-testid={`assign-${k.responderId}`}
                    disabled={assign.busy || c.responderId === k.responderId}
                    onClick={() => void assign.run(k.responderId)}
                  >
                    {t("drawer.assign")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {candidates.length > shown.length && (
        <button type="button" className="linklike" data-testid="more-candidates" onClick={() => setAll(true)}>
          {t("queue.moreItems", { count: candidates.length - shown.length })}
        </button>
      )}
    </section>
  );
}

// A job offer with a big countdown to its deadline and accept / decline.
import { useTranslation } from "react-i18next";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useNow } from "../hooks/useNow.ts";
import type { OfferWithCase } from "../../../protocol/api.ts";
import { formatDistance, formatDuration, formatEtaMinutes } from "../lib/format.ts";
import { secondsUntil } from "../lib/sla.ts";
import { store } from "../store.ts";
import { useCaseTypeLabel } from "../case/labels.tsx";
import { AwayBadge, Guidance } from "../case/Guidance.tsx";
import type { Outcome, PhoneAction } from "./outbox.ts";

export function OfferCard({
  offer,
  highlight,
  act,
  onAnswered,
}: {
  offer: OfferWithCase;
  /** Opened from this offer's notification. */
  highlight: boolean;
  act: (a: PhoneAction) => Promise<Outcome>;
  /** The offer is done with: accepted, declined, or closed before the answer arrived. */
  onAnswered: (how: "accepted" | "declined" | "closed" | "queued") => void;
}) {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const now = useNow();
  const left = secondsUntil(offer.deadline, now);
  const expired = left <= 0;

  const answer = (kind: "accept" | "decline") => async () => {
    const outcome = await act({ kind, offerId: offer.id, caseId: offer.caseId });
    if (outcome.kind === "done") {
      if (outcome.summary) store.upsertCase(outcome.summary);
      store.removeOffer(offer.id);
      onAnswered(kind === "accept" ? "accepted" : "declined");
    } else if (outcome.kind === "queued") {
      onAnswered("queued");
    } else if (outcome.error.status === 409) {
      // Someone else was faster, or the deadline passed.
      store.removeOffer(offer.id);
      onAnswered("closed");
    } else {
      throw outcome.error;
    }
  };
  const accept = useAsyncAction(answer("accept"));
  const decline = useAsyncAction(answer("decline"));
  const busy = accept.busy || decline.busy;
  const c = offer.case;

  return (
    <article
      className={`card offer-card kind-${c.kind} ${expired ? "offer-expired" : ""} ${highlight ? "offer-opened" : ""}`}
      data-testid="offer-card"
      data-offer-id={offer.id}
      aria-labelledby={`offer-${offer.id}-title`}
    >
      <header className="offer-head">
        <h2 id={`offer-${offer.id}-title`}>
          {t("responderApp.offerTitle")} · {typeLabel(c)}
        </h2>
        <div
          className={`offer-countdown ${left <= 10 ? "countdown-low" : ""}`}
          data-testid="offer-countdown"
          role="timer"
        >
          {expired
            ? t("responderApp.offerExpired")
            : t("responderApp.countdown", { time: formatDuration(left) })}
        </div>
      </header>
      <p className="offer-resident">{c.residentName}</p>
      <p>
        {c.address} <AwayBadge location={c.location} />
      </p>
      <Guidance type={c.type} who="responder" />
      <p className="muted">
        {t("responderApp.distance", {
          distance: formatDistance(offer.distanceMeters),
          eta: formatEtaMinutes(offer.etaSeconds),
        })}
      </p>
      {(accept.error ?? decline.error) && (
        <p className="form-error" role="alert">
          {accept.error ?? decline.error}
        </p>
      )}
      <div className="big-buttons">
        <button
          type="button"
          className="btn btn-primary btn-huge"
          data-testid="offer-accept"
          // A tap after the countdown still takes the case while nobody has it (the server decides).
          disabled={busy}
          onClick={() => void accept.run()}
        >
          {t("responderApp.accept")}
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-huge"
          data-testid="offer-decline"
          disabled={busy}
          onClick={() => void decline.run()}
        >
          {t("responderApp.decline")}
        </button>
      </div>
    </article>
  );
}

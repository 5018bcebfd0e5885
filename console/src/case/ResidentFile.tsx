import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ResidentFile } from "../../../protocol/api.ts";
import { CallButton } from "../intake/CallButton.tsx";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** Name, gender, age and living situation; a caller not in the register has only a name, if any. */
export function ResidentIdentity({ r }: { r: ResidentFile }) {
  const { t } = useTranslation();
  return (
    <>
      <strong>{r.name || t("intake.unnamed")}</strong> ·{" "}
      {r.gender === null || r.age === null || r.livingSituation === null ? (
        <span className="badge badge-unregistered">{t("intake.unregistered")}</span>
      ) : (
        <>
          {t(`gender.${r.gender}`)} · {t("drawer.age", { age: r.age })} ·{" "}
          <span className={`badge living-${r.livingSituation}`}>{t(`living.${r.livingSituation}`)}</span>
        </>
      )}
    </>
  );
}

/** With `caseId`, every number is a call button that logs the call on that case. */
export function ResidentFileView({
  r,
  deviceId,
  caseId = null,
}: {
  r: ResidentFile;
  deviceId: string | null;
  caseId?: number | null;
}) {
  const { t } = useTranslation();
  const none = <span className="muted">{t("common.none")}</span>;
  return (
    <section className="drawer-section" aria-labelledby="resident-title" data-testid="resident-file">
      <h3 id="resident-title">{t("drawer.resident")}</h3>
      <p className="resident-name">
        <ResidentIdentity r={r} />
      </p>
      <dl className="kv">
        <Row label={t("drawer.phone")}>
          {r.phone ? <CallButton caseId={caseId} number={r.phone} party="resident" name={r.name} /> : none}
        </Row>
        <Row label={t("drawer.address")}>{r.address}</Row>
        <Row label={t("drawer.community")}>
          {r.communityName} / {r.gridName}
        </Row>
        <Row label={t("drawer.gridWorker")}>{r.gridWorker ?? none}</Row>
        <Row label={t("drawer.conditions")}>
          {r.conditions.length ? (
            <ul className="chips">
              {r.conditions.map((x) => (
                <li key={x} className="chip chip-warn">
                  {x}
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
        </Row>
        <Row label={t("drawer.medicines")}>
          {r.medicines.length ? (
            <ul className="chips">
              {r.medicines.map((x) => (
                <li key={x} className="chip">
                  {x}
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
        </Row>
        <Row label={t("drawer.contacts")}>
          {r.emergencyContacts.length ? (
            <ul className="plain">
              {r.emergencyContacts.map((c) => (
                <li key={`${c.name}:${c.phone}`}>
                  {t("drawer.contact", { name: c.name, relation: c.relation })}{" "}
                  <CallButton caseId={caseId} number={c.phone} party="family" name={c.name} />
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
        </Row>
        <Row label={t("drawer.keyHolder")}>{r.keyHolder ?? none}</Row>
        <Row label={t("drawer.pairedVolunteer")}>
          {r.pairedVolunteer ? (
            <>
              {r.pairedVolunteer.name}{" "}
              <CallButton
                caseId={caseId}
                number={r.pairedVolunteer.phone}
                party="responder"
                name={r.pairedVolunteer.name}
              />
            </>
          ) : (
            none
          )}
        </Row>
        {deviceId && <Row label={t("drawer.device")}>{deviceId}</Row>}
      </dl>
    </section>
  );
}

// A resident's page: the record (edited in place by those who may), their call devices, their
// home-sensor rules and daily check-in, the retirement, their service log and the record's change
// history.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ResidentRecord } from "../../../../protocol/api.ts";
import { useAsyncAction } from "../../hooks/useAsync.ts";
import { useLoad } from "../../hooks/useLoad.ts";
import { formatTimestamp } from "../../lib/format.ts";
import { AuditHistory } from "../AuditHistory.tsx";
import { CheckInPanel } from "../../care/CheckInPanel.tsx";
import { ServiceLog } from "../../care/ServiceLog.tsx";
import { RecordPending } from "../PagedTable.tsx";
import { useCan } from "../can.ts";
import { ConfirmButton } from "../ConfirmButton.tsx";
import { registers } from "../api.ts";
import { ResidentDevices } from "./ResidentDevices.tsx";
import { ResidentForm } from "./ResidentForm.tsx";
import { ResidentSensors } from "./ResidentSensors.tsx";

export function ResidentView({ id, onBack }: { id: number; onBack: () => void }) {
  const { t } = useTranslation();
  const may = useCan();
  const [refresh, setRefresh] = useState(0);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<ResidentRecord | null>(null);
  const loaded = useLoad(() => registers.resident(id), [id, refresh]);
  const r = saved ?? loaded.data;
  const changed = (next: ResidentRecord) => {
    setSaved(next);
    setEditing(false);
    setRefresh((n) => n + 1);
  };
  const retire = useAsyncAction(async () => changed(await registers.retireResident(id)));
  const mayEdit = may("resident.enrol") || may("resident.care") || may("resident.pairing");

  if (!r) return <RecordPending error={loaded.error} onBack={onBack} />;

  return (
    <div className="reg-record" data-testid="resident-view" data-resident-id={r.id}>
      <div className="action-row">
        <button type="button" className="btn btn-ghost" data-testid="back-to-list" onClick={onBack}>
          {t("registers.list.back")}
        </button>
        {r.retiredAt && (
          <span className="badge badge-retired" data-testid="resident-retired">
            {t("registers.form.retiredAt", { at: formatTimestamp(r.retiredAt, Date.now()) })}
          </span>
        )}
        {!r.retiredAt && mayEdit && !editing && (
          <button
            type="button"
            className="btn btn-secondary"
            data-testid="resident-edit"
            onClick={() => setEditing(true)}
          >
            {t("registers.form.edit")}
          </button>
        )}
        {!r.retiredAt && may("resident.enrol") && (
          <ConfirmButton
            danger
            testId="resident-retire"
            question={t("registers.form.confirmRetire", { name: r.name })}
            disabled={retire.busy}
            onConfirm={() => void retire.run()}
          >
            {t("registers.form.retire")}
          </ConfirmButton>
        )}
        {retire.error && <span className="form-error">{retire.error}</span>}
      </div>
      {editing ? (
        <ResidentForm key={r.id} record={r} onSaved={changed} onCancel={() => setEditing(false)} />
      ) : (
        <ResidentSummary r={r} />
      )}
      <ResidentDevices
        resident={r}
        onChanged={() => {
          setSaved(null);
          setRefresh((n) => n + 1);
        }}
      />
      <ResidentSensors
        residentId={r.id}
        retired={r.retiredAt !== null}
        onSaved={() => setRefresh((n) => n + 1)}
      />
      <CheckInPanel
        residentId={r.id}
        retired={r.retiredAt !== null}
        onChanged={() => setRefresh((n) => n + 1)}
      />
      <ServiceLog residentId={r.id} />
      <AuditHistory entity="resident" id={r.id} refresh={refresh} />
    </div>
  );
}

function ResidentSummary({ r }: { r: ResidentRecord }) {
  const { t } = useTranslation();
  const none = t("common.none");
  const rows: [string, string][] = [
    [t("registers.resident.gender"), t(`gender.${r.gender}`)],
    [t("registers.resident.birthDate"), r.birthDate ?? String(r.birthYear)],
    [t("registers.resident.phone"), r.phone],
    [t("registers.resident.address"), r.address],
    [t("registers.resident.community"), `${r.communityName} · ${r.gridName}`],
    [t("registers.resident.location"), `${r.lat.toFixed(5)}, ${r.lng.toFixed(5)}`],
    [t("registers.resident.livingSituation"), t(`living.${r.livingSituation}`)],
    [t("registers.resident.conditions"), r.conditions.join(t("common.listSeparator")) || none],
    [t("registers.resident.medicines"), r.medicines.join(t("common.listSeparator")) || none],
    [
      t("registers.resident.emergencyContacts"),
      r.emergencyContacts
        .map((c) => `${c.name}（${c.relation}）${c.phone}`)
        .join(t("common.listSeparator")) || none,
    ],
    [t("registers.resident.keyHolder"), r.keyHolder ?? none],
    [
      t("registers.resident.pairedVolunteer"),
      r.pairedVolunteer
        ? `${r.pairedVolunteer.name} · ${r.pairedVolunteer.phone}`
        : t("registers.resident.noVolunteer"),
    ],
  ];
  return (
    <section className="panel reg-page" data-testid="resident-summary">
      <h2>{r.name}</h2>
      <dl className="reg-facts">
        {rows.map(([k, val]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{val}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">
        {t("registers.resident.created", { at: formatTimestamp(r.createdAt, Date.now()) })}
      </p>
    </section>
  );
}

// The supervision profile of each device kind: its heartbeat interval, the beats it may miss before
// it counts as offline, when a device never seen since enrolment is reported, and when an outage
// flags it for replacement. Everyone who sees device health reads them; admins change them (each
// change is audited by the platform).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SupervisionProfile, SupervisionProfileInput } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { errorText } from "../i18n.ts";
import { formatShortDateTime } from "../lib/format.ts";
import { useCan } from "../registers/can.ts";

const FIELDS = [
  "heartbeatSeconds",
  "missedBeatsOffline",
  "neverConnectedHours",
  "replaceAfterMinutes",
] as const;
type Field = (typeof FIELDS)[number];

function ProfileRow({
  profile,
  mayEdit,
  onSaved,
}: {
  profile: SupervisionProfile;
  mayEdit: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Record<Field, string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f, String(profile[f])])) as Record<Field, string>,
  );
  const [state, setState] = useState<{ saving: boolean; error: string | null }>({
    saving: false,
    error: null,
  });
  const changed = FIELDS.some((f) => draft[f] !== String(profile[f]));

  const save = () => {
    const input = Object.fromEntries(FIELDS.map((f) => [f, Number(draft[f])])) as SupervisionProfileInput;
    setState({ saving: true, error: null });
    // Saved, the list reloads and this row starts again from the stored profile (its key changes).
    api
      .updateSupervisionProfile(profile.kind, input)
      .then(onSaved, (err: unknown) => setState({ saving: false, error: errorText(err) }));
  };

  return (
    <tr data-testid={`profile-${profile.kind}`}>
      <th scope="row">{t(`registers.deviceKind.${profile.kind}`)}</th>
      {FIELDS.map((f) => (
        <td key={f}>
          {mayEdit ? (
            <input
              type="number"
              inputMode="numeric"
              style={{ width: "7em" }}
              aria-label={`${t(`registers.deviceKind.${profile.kind}`)} · ${t(`devices.profiles.${f}`)}`}
              data-testid={`profile-${profile.kind}-${f}`}
              value={draft[f]}
              onChange={(e) => setDraft((d) => ({ ...d, [f]: e.target.value }))}
            />
          ) : (
            profile[f]
          )}
        </td>
      ))}
      <td className="muted" data-testid={`profile-${profile.kind}-updated`}>
        {profile.updatedAt ? formatShortDateTime(profile.updatedAt) : t("devices.profiles.default")}
      </td>
      {mayEdit && (
        <td>
          <button
            type="button"
            className="btn btn-ghost"
            data-testid={`profile-${profile.kind}-save`}
            disabled={!changed || state.saving}
            onClick={save}
          >
            {t("devices.profiles.save")}
          </button>
          {state.error && (
            <span className="error" role="alert" data-testid={`profile-${profile.kind}-error`}>
              {" "}
              {state.error}
            </span>
          )}
        </td>
      )}
    </tr>
  );
}

export function SupervisionProfiles() {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const profiles = useLoad(() => api.supervisionProfiles(), [reload]);
  const mayEdit = useCan()("device.manage");

  return (
    <div aria-labelledby="profiles-title" style={{ marginTop: "1.5rem" }}>
      <h3 id="profiles-title">{t("devices.profiles.title")}</h3>
      <p className="muted">{t("devices.profiles.help")}</p>
      {profiles.error && <p className="error">{profiles.error}</p>}
      {profiles.data && (
        <div className="table-wrap">
          <table className="table" data-testid="supervision-profiles">
            <thead>
              <tr>
                <th scope="col">{t("devices.profiles.kind")}</th>
                {FIELDS.map((f) => (
                  <th scope="col" key={f}>
                    {t(`devices.profiles.${f}`)}
                  </th>
                ))}
                <th scope="col">{t("devices.profiles.updatedAt")}</th>
                {mayEdit && <th scope="col" />}
              </tr>
            </thead>
            <tbody>
              {profiles.data.map((p) => (
                <ProfileRow
                  key={`${p.kind}-${p.updatedAt ?? ""}`}
                  profile={p}
                  mayEdit={mayEdit}
                  onSaved={() => setReload((n) => n + 1)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

// The resident's family circle in the case drawer (family.manage): invite an emergency contact
// (the one-time code is shown once, to read out on the phone, and sent by SMS where configured),
// the resident's consent to show them health details, and which steps they are told of.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FAMILY_STAGES, type FamilyInviteResponse, type FamilyMember } from "../../../protocol/api.ts";
import { can } from "../../../protocol/roles.ts";
import { familyApi } from "../family/api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { formatTimestamp } from "../lib/format.ts";
import { useSession } from "../session.ts";

function MemberSettings({ m, onChanged }: { m: FamilyMember; onChanged: () => void }) {
  const { t } = useTranslation();
  const save = useAsyncAction(async (patch: Parameters<typeof familyApi.updateMember>[1]) => {
    await familyApi.updateMember(m.id, patch);
    onChanged();
  });
  const toggleStage = (stage: (typeof FAMILY_STAGES)[number]) => {
    const stages = m.notify.stages.includes(stage)
      ? m.notify.stages.filter((s) => s !== stage)
      : [...m.notify.stages, stage];
    void save.run({ notify: { ...m.notify, stages } });
  };
  return (
    <div className="family-member-settings" data-testid={`family-member-${m.id}`}>
      <label>
        <input
          type="checkbox"
          checked={m.medicalConsent}
          disabled={save.busy}
          data-testid="family-consent"
          onChange={(e) => void save.run({ medicalConsent: e.target.checked })}
        />{" "}
        {t("familyCircle.medicalConsent")}
      </label>
      <fieldset>
        <legend>{t("familyCircle.notifyStages")}</legend>
        {FAMILY_STAGES.map((stage) => (
          <label key={stage}>
            <input
              type="checkbox"
              checked={m.notify.stages.includes(stage)}
              disabled={save.busy}
              onChange={() => toggleStage(stage)}
            />{" "}
            {t(`familyStage.${stage}`)}
          </label>
        ))}
        <label>
          <input
            type="checkbox"
            checked={m.notify.sms}
            disabled={save.busy}
            onChange={(e) => void save.run({ notify: { ...m.notify, sms: e.target.checked } })}
          />{" "}
          {t("familyCircle.sms")}
        </label>
      </fieldset>
      <button
        type="button"
        className="btn btn-ghost"
        disabled={save.busy}
        onClick={() => void save.run({ revoked: true })}
      >
        {t("familyCircle.revoke")}
      </button>
      {save.error && <p className="form-error">{save.error}</p>}
    </div>
  );
}

export function FamilyCircle({ residentId }: { residentId: number }) {
  const { t } = useTranslation();
  const role = useSession()?.user.role;
  const [version, setVersion] = useState(0);
  const [shown, setShown] = useState<FamilyInviteResponse | null>(null);
  const allowed = role !== undefined && can(role, "family.manage");
  const { data } = useLoad(allowed ? () => familyApi.circle(residentId) : null, [
    residentId,
    version,
    allowed,
  ]);
  const invite = useAsyncAction(async (phone: string) => {
    setShown(await familyApi.invite(residentId, phone));
    setVersion((v) => v + 1);
  });
  if (!allowed || !data) return null;
  return (
    <section className="drawer-section" aria-labelledby="family-circle-title" data-testid="family-circle">
      <h3 id="family-circle-title">{t("familyCircle.title")}</h3>
      {shown && (
        <p className="notice" role="status" data-testid="family-code-shown">
          {shown.sentBySms
            ? t("familyCircle.codeSentSms")
            : t("familyCircle.codeShown", {
                code: shown.code,
                time: formatTimestamp(shown.expiresAt, Date.now()),
              })}
        </p>
      )}
      <ul className="family-contacts">
        {data.contacts.map((c) => {
          const m = c.member;
          const status = !m ? null : m.revokedAt ? "revoked" : m.joinedAt ? "joined" : "invited";
          return (
            <li key={c.phone}>
              <strong>{c.name}</strong> ({c.relation}) {c.phone}{" "}
              {status && <span className="badge">{t(`familyCircle.${status}`)}</span>}{" "}
              <button
                type="button"
                className="btn"
                disabled={invite.busy}
                data-testid="family-invite"
                onClick={() => void invite.run(c.phone)}
              >
                {m && !m.revokedAt ? t("familyCircle.reinvite") : t("familyCircle.invite")}
              </button>
              {m && !m.revokedAt && <MemberSettings m={m} onChanged={() => setVersion((v) => v + 1)} />}
            </li>
          );
        })}
      </ul>
      {invite.error && <p className="form-error">{invite.error}</p>}
    </section>
  );
}

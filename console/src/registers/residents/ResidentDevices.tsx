// A resident's call devices: enrol one (its secret is shown once), give one a new secret, move
// it to another resident, retire it. Only those who manage devices see the buttons.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { DeviceRecord, DeviceWithSecret, ResidentRecord } from "../../../../protocol/api.ts";
import { DEVICE_KINDS, type DeviceKind } from "../../../../protocol/domain.ts";
import { DeviceIdSchema } from "../../../../protocol/mqtt.ts";
import { errorText } from "../../i18n.ts";
import { formatLevel, formatTimestamp } from "../../lib/format.ts";
import { useCan } from "../can.ts";
import { ConfirmButton } from "../ConfirmButton.tsx";
import { DeviceSecret } from "../DeviceSecret.tsx";
import { Field } from "../Field.tsx";
import { ruleText, validate } from "../field-errors.ts";
import { registers } from "../api.ts";

export function ResidentDevices({
  resident,
  onChanged,
}: {
  resident: ResidentRecord;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const may = useCan();
  const manage = may("device.manage") && resident.retiredAt === null;
  const [issued, setIssued] = useState<DeviceWithSecret | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = (work: () => Promise<DeviceWithSecret | DeviceRecord>) => {
    setFailure(null);
    setBusy(true);
    work().then(
      (res) => {
        setBusy(false);
        if ("secret" in res) setIssued(res);
        onChanged();
      },
      (err: unknown) => {
        setBusy(false);
        setFailure(ruleText(err) ?? errorText(err));
      },
    );
  };

  return (
    <section className="panel reg-page" aria-labelledby="devices-of-resident" data-testid="resident-devices">
      <h3 id="devices-of-resident">{t("registers.resident.devices")}</h3>
      {issued && <DeviceSecret issued={issued} onDone={() => setIssued(null)} />}
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      {resident.devices.length === 0 && <p className="muted">{t("registers.resident.noDevices")}</p>}
      {resident.devices.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t("registers.device.id")}</th>
              <th>{t("registers.device.kind")}</th>
              <th>{t("registers.device.online")}</th>
              <th className="num">{t("registers.device.battery")}</th>
              <th>{t("registers.device.lastSeen")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {resident.devices.map((d) => (
              <tr key={d.id} data-testid={`device-row-${d.id}`} className={d.retiredAt ? "reg-retired" : ""}>
                <td className="mono">{d.id}</td>
                <td>{t(`registers.deviceKind.${d.kind}`)}</td>
                <td>
                  {d.retiredAt
                    ? t("registers.device.retired")
                    : d.online
                      ? t("registers.device.online")
                      : t("registers.device.offline")}
                </td>
                <td className="num">{formatLevel(d.battery)}</td>
                <td>{d.lastSeenAt ? formatTimestamp(d.lastSeenAt, Date.now()) : "—"}</td>
                <td className="action-row">
                  {manage && !d.retiredAt && (
                    <>
                      <ConfirmButton
                        testId={`device-rotate-${d.id}`}
                        question={t("registers.device.confirmRotate")}
                        disabled={busy}
                        onConfirm={() => act(() => registers.rotateSecret(d.id))}
                      >
                        {t("registers.device.rotate")}
                      </ConfirmButton>
                      <MoveDevice
                        device={d}
                        disabled={busy}
                        onMove={(to) => act(() => registers.updateDevice(d.id, { residentId: to }))}
                      />
                      <ConfirmButton
                        danger
                        testId={`device-retire-${d.id}`}
                        question={t("registers.device.confirmRetire", { id: d.id })}
                        disabled={busy}
                        onConfirm={() => act(() => registers.retireDevice(d.id))}
                      >
                        {t("registers.device.retire")}
                      </ConfirmButton>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage && <EnrolDevice residentId={resident.id} disabled={busy} onEnrol={act} />}
    </section>
  );
}

function EnrolDevice(props: {
  residentId: number;
  disabled: boolean;
  onEnrol: (work: () => Promise<DeviceWithSecret>) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<DeviceKind>("wall_button");
  const [id, setId] = useState("");
  const idError = id.trim() === "" ? undefined : validate(DeviceIdSchema, id.trim())[""];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (idError) return;
    props.onEnrol(() =>
      registers.createDevice({ residentId: props.residentId, kind, ...(id.trim() ? { id: id.trim() } : {}) }),
    );
  };
  return (
    <form className="reg-inline-form" onSubmit={submit} aria-label={t("registers.device.enrol")}>
      <Field label={t("registers.device.kind")}>
        <select
          data-testid="device-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as DeviceKind)}
        >
          {DEVICE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`registers.deviceKind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("registers.device.id")} hint={t("registers.device.idHint")} error={idError}>
        <input data-testid="device-id" value={id} onChange={(e) => setId(e.target.value)} />
      </Field>
      <button type="submit" className="btn btn-primary" data-testid="device-enrol" disabled={props.disabled}>
        {t("registers.device.enrol")}
      </button>
    </form>
  );
}

function MoveDevice(props: {
  device: DeviceRecord;
  disabled: boolean;
  onMove: (residentId: number) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState("");
  if (!open)
    return (
      <button type="button" className="btn btn-secondary btn-small" onClick={() => setOpen(true)}>
        {t("registers.device.move")}
      </button>
    );
  const target = Number(to);
  return (
    <span className="reg-inline-form">
      <input
        type="number"
        min={1}
        aria-label={t("registers.device.moveTo")}
        placeholder={t("registers.device.moveTo")}
        value={to}
        onChange={(e) => setTo(e.target.value)}
      />
      <button
        type="button"
        className="btn btn-primary btn-small"
        disabled={
          props.disabled || !Number.isInteger(target) || target <= 0 || target === props.device.residentId
        }
        onClick={() => props.onMove(target)}
      >
        {t("registers.form.save")}
      </button>
      <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpen(false)}>
        {t("registers.form.cancel")}
      </button>
    </span>
  );
}

// A device secret, shown exactly once (the platform keeps only its hash): a copy button and a
// printable label with the device id and secret as a QR code for the installer.
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DeviceWithSecret } from "../../../protocol/api.ts";

/** What the label's QR code holds: the two values a device is configured with. */
export const labelPayload = (deviceId: string, secret: string) => JSON.stringify({ deviceId, secret });

/** Groups of four, easier to read off a label and type; the secret itself has no spaces. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, "$1 ");

export function DeviceSecret({ issued, onDone }: { issued: DeviceWithSecret; onDone: () => void }) {
  const { t } = useTranslation();
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const { device, secret } = issued;
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(labelPayload(device.id, secret), { margin: 1, width: 220 }).then((url) => {
      if (live) setQr(url);
    });
    return () => {
      live = false;
    };
  }, [device.id, secret]);

  const copy = () =>
    void navigator.clipboard?.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );

  return (
    <div className="secret-box" role="dialog" aria-labelledby="secret-title" data-testid="device-secret">
      <h3 id="secret-title">{t("registers.device.secretTitle", { id: device.id })}</h3>
      <p className="warn-text">{t("registers.device.secretOnce")}</p>
      <div className="secret-label" data-testid="secret-label">
        <div className="secret-label-head">{t("registers.device.labelHeading")}</div>
        <div className="secret-label-body">
          {qr && (
            <img
              src={qr}
              alt={t("registers.device.labelScan")}
              data-testid="secret-qr"
              width={160}
              height={160}
            />
          )}
          <dl>
            <dt>{t("registers.device.id")}</dt>
            <dd className="mono" data-testid="secret-device-id">
              {device.id}
            </dd>
            <dt>{t("registers.device.kind")}</dt>
            <dd>{t(`registers.deviceKind.${device.kind}`)}</dd>
            <dt>{t("registers.device.secretTitle", { id: "" }).trim()}</dt>
            <dd className="mono secret-value" data-testid="secret-value" data-secret={secret}>
              {grouped(secret)}
            </dd>
          </dl>
        </div>
      </div>
      <div className="action-row">
        <button type="button" className="btn btn-secondary" data-testid="secret-copy" onClick={copy}>
          {copied ? t("registers.device.copied") : t("registers.device.copy")}
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="secret-print"
          onClick={() => window.print()}
        >
          {t("registers.device.print")}
        </button>
        <button type="button" className="btn btn-primary" data-testid="secret-done" onClick={onDone}>
          {t("registers.device.done")}
        </button>
      </div>
    </div>
  );
}

// Opens the "新来电" panel from anywhere in the console with one key (F2, as on call-centre
// desks) or its button, and says what came of the call; the new or joined case opens in the drawer.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { IntakeResult } from "../../../protocol/api.ts";
import { store } from "../store.ts";
import { IntakePanel } from "./IntakePanel.tsx";
import "./intake.css";

export const INTAKE_SHORTCUT = "F2";

export function IntakeLauncher() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [said, setSaid] = useState("");
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== INTAKE_SHORTCUT || e.repeat) return;
      e.preventDefault();
      if (document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
      setOpen(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  const done = (r: IntakeResult) => {
    setOpen(false);
    if (r.case === null) return setSaid(t("intake.ordered", { id: r.order?.id }));
    store.upsertCase(r.case);
    store.selectCase(r.case.id);
    setSaid(t(r.joined ? "intake.joined" : "intake.created", { id: r.case.id }));
  };

  return (
    <>
      <button
        type="button"
        className="btn btn-alarm intake-launch"
        data-testid="intake-open"
        aria-keyshortcuts={INTAKE_SHORTCUT}
        onClick={(e) => {
          opener.current = e.currentTarget;
          setOpen(true);
        }}
      >
        {t("intake.open")} <kbd>{t("intake.shortcut")}</kbd>
      </button>
      <p className="sr-only" role="status" aria-live="polite" data-testid="intake-said">
        {said}
      </p>
      {open && <IntakePanel onDone={done} onClose={close} />}
    </>
  );
}

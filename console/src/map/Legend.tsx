import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PRIORITIES, RESPONDER_ACTIVITIES } from "../../../protocol/domain.ts";
import { ACTIVITY_GLYPH } from "./icons.ts";

/** Off-duty responders are not on the map. */
const ACTIVITIES = RESPONDER_ACTIVITIES.filter((a) => a !== "off_duty");

export function Legend() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(true);
  return (
    <div className="legend">
      <button type="button" className="legend-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t("map.legend")}
      </button>
      {open && (
        <ul>
          {PRIORITIES.map((p) => (
            <li key={p}>
              <span className={`cm cm-p${p} legend-swatch`}>
                <span>{p}</span>
              </span>
              {t(`priority.${p}`)}
            </li>
          ))}
          {ACTIVITIES.map((a) => (
            <li key={a}>
              <span className={`rm rm-${a} legend-swatch`}>{ACTIVITY_GLYPH[a]}</span>
              {t(`activity.${a}`)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

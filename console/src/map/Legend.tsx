import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PRIORITIES, RESPONDER_ACTIVITIES } from "../../../protocol/domain.ts";
import { ACTIVITY_GLYPH } from "./icons.ts";

/** Off-duty responders are not on the map. */
const ACTIVITIES = RESPONDER_ACTIVITIES.filter((a) => a !== "off_duty");

/** Every symbol on the map, drawn with the same classes the map uses. */
export function Legend() {
  const { t } = useTranslation();
  // Folded by default: on a 1280×720 desk screen it would cover a third of the map.
  const [open, setOpen] = useState(false);
  return (
    <div className="legend" data-testid="map-legend">
      <button type="button" className="legend-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t("map.legend")}
      </button>
      {open && (
        <div className="legend-body">
          <h3>{t("map.legendCases")}</h3>
          <ul>
            {PRIORITIES.map((p) => (
              <li key={p}>
                <span className={`cm cm-p${p} legend-swatch`}>
                  <span>{p}</span>
                </span>
                {t(`priority.${p}`)}
              </li>
            ))}
            <li>
              <span className="cm cm-p4 cm-technical legend-swatch" />
              {t("map.legendTechnical")}
            </li>
            <li>
              <span className="cm cm-p1 cm-pulse legend-swatch" />
              {t("map.legendUnacked")}
            </li>
            <li>
              <span className="cm cm-p2 cm-resolved legend-swatch" />
              {t("map.legendFaded")}
            </li>
            <li>
              <span className="cm cm-p3 cm-selected legend-swatch" />
              {t("map.legendSelected")}
            </li>
            <li>
              <span className="cc cc-p1 legend-cluster">
                <b>P1</b>
                <span>×3</span>
              </span>
              {t("map.legendCaseCluster")}
            </li>
          </ul>
          <h3>{t("map.legendResponders")}</h3>
          <ul>
            {ACTIVITIES.map((a) => (
              <li key={a}>
                <span className={`rm rm-${a} legend-swatch`}>{ACTIVITY_GLYPH[a]}</span>
                {t(`activity.${a}`)}
              </li>
            ))}
            <li>
              <span className="rc rc-s legend-rc">
                <span aria-hidden="true">人</span>5
              </span>
              {t("map.legendResponderCluster")}
            </li>
            <li>
              <span className="legend-line line-accepted-swatch" />
              {t("map.legendLineAccepted")}
            </li>
            <li>
              <span className="legend-line line-en_route-swatch" />
              {t("map.legendLineEnRoute")}
            </li>
            <li>
              <span className="legend-line line-on_scene-swatch" />
              {t("map.legendLineOnScene")}
            </li>
          </ul>
          <h3>{t("map.legendAreas")}</h3>
          <ul>
            <li>
              <span className="legend-grid" />
              {t("map.legendGrid")}
            </li>
            <li>
              <span className="legend-community">{t("map.legendAreas")}</span>
              {t("map.legendCommunity")}
            </li>
          </ul>
        </div>
      )}
    </div>
  );
}

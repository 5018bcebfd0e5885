// The English texts, one file per feature area, merged into the one i18next namespace; the same
// files and keys as zh-CN/ (tests/unit/console-i18n.test.ts checks it).
import common from "./common.json" with { type: "json" };
import login from "./login.json" with { type: "json" };
import queue from "./queue.json" with { type: "json" };
import caseTexts from "./case.json" with { type: "json" };
import map from "./map.json" with { type: "json" };
import devices from "./devices.json" with { type: "json" };
import responders from "./responders.json" with { type: "json" };
import kpi from "./kpi.json" with { type: "json" };
import phone from "./phone.json" with { type: "json" };
import calls from "./calls.json" with { type: "json" };
import history from "./history.json" with { type: "json" };
import registers from "./registers.json" with { type: "json" };
import family from "./family.json" with { type: "json" };
import intake from "./intake.json" with { type: "json" };
import care from "./care.json" with { type: "json" };

export default {
  ...common,
  ...login,
  ...queue,
  ...caseTexts,
  ...map,
  ...devices,
  ...responders,
  ...kpi,
  ...phone,
  ...calls,
  ...history,
  ...registers,
  ...family,
  ...intake,
  ...care,
};

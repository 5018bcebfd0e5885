// The platform's zone, set from /api/platform, reaches what the console draws: the formatting
// module follows it, and a service log row rendered after it shows the time there, whatever zone
// the machine running the test is in.
import { createInstance } from "i18next";
import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { afterEach, describe, expect, it } from "vitest";
import { ServiceLogRow } from "../../console/src/care/ServiceLogRow.tsx";
import {
  formatClock,
  formatDateTime,
  formatShortDateTime,
  isToday,
  todayInput,
  wallClockInstant,
} from "../../console/src/lib/format.ts";
import { platformZone, setPlatformZone } from "../../console/src/lib/zone.ts";
import zhCN from "../../console/src/locales/zh-CN/index.ts";
import { PLATFORM_TIME_ZONE, type ServiceLogEntry } from "../../protocol/index.ts";

/** 23:30 on 14 March in Urumqi (UTC+6) is 01:30 on the 15th in Shanghai (UTC+8). */
const AT = Date.UTC(2031, 2, 14, 17, 30);
const iso = new Date(AT).toISOString();

afterEach(() => setPlatformZone(PLATFORM_TIME_ZONE));

describe("the formatting module follows the platform's zone", () => {
  it("is Shanghai until the platform says otherwise", () => {
    expect(platformZone()).toBe("Asia/Shanghai");
    expect(formatDateTime(iso)).toBe("2031-03-15 01:30");
  });

  it("shows times, days and today in the zone the platform set", () => {
    setPlatformZone("Asia/Urumqi");
    expect(formatDateTime(iso)).toBe("2031-03-14 23:30");
    expect(formatShortDateTime(iso)).toBe("03-14 23:30");
    expect(formatClock(iso)).toBe("23:30");
    expect(todayInput(AT)).toBe("2031-03-14");
    expect(isToday(iso, AT + 20 * 60_000)).toBe(true);
    expect(isToday(iso, AT + 40 * 60_000)).toBe(false); // past midnight there
    // An order's window typed as 09:00 on a day is 09:00 there.
    expect(wallClockInstant("2031-03-14", "09:00")).toBe("2031-03-14T03:00:00.000Z");
    expect(wallClockInstant("2031-03-14", "9am")).toBeNull();
  });
});

describe("a screen drawn after the zone is set", () => {
  const entry: ServiceLogEntry = {
    id: 7,
    at: iso,
    kind: "service_order",
    residentId: 1,
    residentName: "王秀英",
    place: "渭滨区 经二路 3号楼",
    communityName: "经二路社区",
    gridName: "第1网格",
    responderId: 2,
    responderName: "李志愿",
    content: "理发",
    minutes: 45,
    caseId: null,
    serviceOrderId: 3,
  };
  const render = async () => {
    const i18n = createInstance();
    await i18n.use(initReactI18next).init({ lng: "zh-CN", resources: { "zh-CN": { translation: zhCN } } });
    const row = h("table", null, h("tbody", null, h(ServiceLogRow, { e: entry })));
    return renderToStaticMarkup(h(I18nextProvider, { i18n }, row));
  };

  it("shows the service log's time in the platform's zone, with the kind and hours", async () => {
    setPlatformZone("Asia/Urumqi");
    const html = await render();
    expect(html).toContain(">2031-03-14 23:30</time>");
    expect(html).toContain("上门服务");
    expect(html).toContain(">0.75</td>");
    setPlatformZone("Asia/Shanghai");
    expect(await render()).toContain(">2031-03-15 01:30</time>");
  });
});

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import zhCN from "../../console/src/locales/zh-CN/index.ts";
import en from "../../console/src/locales/en/index.ts";
import { CLIENT_ERROR_CODES } from "../../console/src/api.ts";
import {
  ACTOR_TYPES,
  ALERT_KINDS,
  CASE_EVENT_TYPES,
  CASE_KINDS,
  CASE_STATUSES,
  CASE_TYPES,
  DEVICE_FILTERS,
  ERROR_CODES,
  ESCALATION_REASONS,
  FOLLOW_UP_OUTCOMES,
  GENDERS,
  LIVING_SITUATIONS,
  OFFER_STATUSES,
  PRIORITIES,
  RESPONDER_ACTIVITIES,
  RESPONDER_ROLES,
  SERVICE_KINDS,
  TRANSPORT_MODES,
  USER_ROLES,
  WITHDRAWAL_REASONS,
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  CALL_PARTIES,
} from "../../protocol/index.ts";

const LANGUAGES = { "zh-CN": zhCN, en } as const;
const folder = (lang: string) => new URL(`../../console/src/locales/${lang}/`, import.meta.url);
const files = (lang: string) =>
  readdirSync(folder(lang))
    .filter((f) => f.endsWith(".json"))
    .sort();
const read = (lang: string, file: string) =>
  JSON.parse(readFileSync(new URL(file, folder(lang)), "utf8")) as Record<string, unknown>;

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === "object" && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

const sorted = (words: readonly (string | number)[]) => words.map(String).sort();

describe("console translations", () => {
  it("come in the same feature files in both languages", () => {
    expect(files("en")).toEqual(files("zh-CN"));
    expect(files("zh-CN")).toContain("common.json");
  });

  it.each(files("zh-CN"))("%s: Chinese and English have exactly the same keys", (file) => {
    expect(keys(read("en", file)).sort()).toEqual(keys(read("zh-CN", file)).sort());
  });

  it.each(Object.keys(LANGUAGES))(
    "%s: every file is merged into the one namespace, and no two files define the same section",
    (lang) => {
      const sections = files(lang).flatMap((f) => Object.keys(read(lang, f)));
      expect(new Set(sections).size).toBe(sections.length);
      expect(Object.keys(LANGUAGES[lang as keyof typeof LANGUAGES]).sort()).toEqual(sections.sort());
    },
  );

  it("labels every word of the protocol the console shows, and no word the protocol lacks", () => {
    const labelled: [object, readonly (string | number)[]][] = [
      [zhCN.caseStatus, CASE_STATUSES],
      [zhCN.caseType, CASE_TYPES],
      [zhCN.caseKind, CASE_KINDS],
      [zhCN.priority, PRIORITIES],
      [zhCN.service, SERVICE_KINDS],
      [zhCN.escalation, ESCALATION_REASONS],
      [zhCN.offerStatus, OFFER_STATUSES],
      [zhCN.outcome, FOLLOW_UP_OUTCOMES],
      [zhCN.event, CASE_EVENT_TYPES],
      [zhCN.actor, ACTOR_TYPES],
      [zhCN.living, LIVING_SITUATIONS],
      [zhCN.gender, GENDERS],
      [zhCN.roles, USER_ROLES],
      [zhCN.responderRole, RESPONDER_ROLES],
      [zhCN.activity, RESPONDER_ACTIVITIES],
      [zhCN.transport, TRANSPORT_MODES],
      [zhCN.withdrawn, WITHDRAWAL_REASONS],
      [zhCN.alertKind, ALERT_KINDS],
      [zhCN.devices.filter, DEVICE_FILTERS],
      [zhCN.callDirection, CALL_DIRECTIONS],
      [zhCN.callParty, CALL_PARTIES],
      [zhCN.callOutcome, CALL_OUTCOMES],
    ];
    for (const [labels, words] of labelled) expect(Object.keys(labels).sort()).toEqual(sorted(words));
  });

  it("has a sentence for every API error code and every error the client names itself", () => {
    expect(Object.keys(zhCN.errors).sort()).toEqual(
      sorted([...ERROR_CODES, ...CLIENT_ERROR_CODES, "network", "unknown"]),
    );
  });

  it("the console title is the platform's name", () => {
    expect(zhCN.app.title).toBe('社区居家养老"110"调度台');
  });
});

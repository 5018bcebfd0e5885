import { describe, expect, it } from "vitest";
import zhCN from "../../console/src/locales/zh-CN.json" with { type: "json" };
import en from "../../console/src/locales/en.json" with { type: "json" };
import { CASE_STATUSES, CASE_TYPES, RESPONDER_ROLES, SERVICE_KINDS } from "../../protocol/index.ts";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === "object" && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe("console translations", () => {
  it("Chinese and English have exactly the same keys", () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it("every case status, case type, role and service has a label", () => {
    for (const s of CASE_STATUSES) expect(zhCN.caseStatus[s]).toBeTruthy();
    for (const s of CASE_TYPES) expect(zhCN.caseType[s]).toBeTruthy();
    for (const s of RESPONDER_ROLES) expect(zhCN.responderRole[s]).toBeTruthy();
    for (const s of SERVICE_KINDS) expect(zhCN.service[s]).toBeTruthy();
  });

  it("the console title is the platform's name", () => {
    expect(zhCN.app.title).toBe('社区居家养老"110"调度台');
  });
});

// The shipped systemd unit keeps the platform running whatever stops it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const unit = readFileSync(new URL("../../deploy/eldercare-110.service", import.meta.url), "utf8");
const settings = new Map(
  unit
    .split("\n")
    .filter((l) => /^[A-Za-z]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);

describe("deploy/eldercare-110.service", () => {
  it("restarts always and never gives up", () => {
    expect(settings.get("Restart")).toBe("always");
    expect(settings.get("StartLimitIntervalSec")).toBe("0");
  });

  it("runs the dispatcher's entry point, stopped by SIGTERM, writing only its data folder", () => {
    expect(settings.get("ExecStart")).toMatch(/dispatcher\/main\.ts$/);
    expect(settings.get("KillSignal")).toBe("SIGTERM");
    expect(settings.get("ProtectSystem")).toBe("strict");
    expect(settings.get("ReadWritePaths")).toMatch(/\/data$/);
  });

  it("is named in what npm start prints", () => {
    expect(readFileSync(new URL("../../dispatcher/main.ts", import.meta.url), "utf8")).toContain(
      "deploy/eldercare-110.service",
    );
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../dispatcher/config.ts";
import { loadBrokerConfig } from "../../broker/config.ts";
import { HIDDEN, redactUrl } from "../../protocol/process.ts";

/** The message of the ConfigError `fn` throws. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("dispatcher config", () => {
  it("has working defaults", () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.MQTT_PORT).toBe(1883);
    expect(c.MQTT_WS_PORT).toBe(8083);
    expect(c.DATABASE_URL).toBe("file:./data/eldercare.db");
    expect(c.BROKER_URL).toBeUndefined();
    expect(c.DEMO_PASSWORD).toBe("demo1234");
  });
  it("names the variable that is wrong, with the value it got", () => {
    expect(failure(() => loadConfig({ PORT: "seventy" }))).toMatch(/PORT: .*\(got "seventy"\)/);
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(loadConfig({ DATABASE_URL: "postgresql://eldercare@db/eldercare" }).DATABASE_URL).toMatch(
      /^postgresql:/,
    );
    expect(() => loadConfig({ BROKER_URL: "not a url" })).toThrow(/BROKER_URL/);
  });
  it("names every wrong variable at once", () => {
    const message = failure(() => loadConfig({ PORT: "x", MQTT_PORT: "y" }));
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/MQTT_PORT/);
  });
  it("requires the service password with an external broker", () => {
    expect(() => loadConfig({ BROKER_URL: "mqtt://broker:1883" })).toThrow(/BROKER_SERVICE_PASSWORD/);
    expect(
      loadConfig({ BROKER_URL: "mqtt://broker:1883", BROKER_SERVICE_PASSWORD: "long-enough" }).BROKER_URL,
    ).toBe("mqtt://broker:1883");
  });
  it("never echoes a secret's value", () => {
    const message = failure(() =>
      loadConfig({ BROKER_SERVICE_PASSWORD: "short", DEMO_PASSWORD: "abc", DEMO_DEVICE_SECRET: "" }),
    );
    expect(message).toMatch(/BROKER_SERVICE_PASSWORD: .*\(got \(hidden\)\)/);
    expect(message).toMatch(/DEMO_PASSWORD: .*\(got \(hidden\)\)/);
    expect(message).not.toMatch(/short|abc/);
    const url = failure(() => loadConfig({ BROKER_URL: "http://svc:pa55word@broker:1883" }));
    expect(url).toContain(`http://svc:${HIDDEN}@broker:1883`);
    expect(url).not.toContain("pa55word");
  });
  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "" }).PORT).toBe(3000);
  });
});

describe("broker config", () => {
  it("shares the loader: names the variable, hides the password", () => {
    const message = failure(() => loadBrokerConfig({ MQTT_PORT: "nope", BROKER_SERVICE_PASSWORD: "short" }));
    expect(message).toMatch(/MQTT_PORT: .*\(got "nope"\)/);
    expect(message).toMatch(/BROKER_SERVICE_PASSWORD: .*\(got \(hidden\)\)/);
    expect(message).not.toContain("short");
    expect(
      loadBrokerConfig({ BROKER_SERVICE_PASSWORD: "long-enough", MQTT_WS_PORT: "off" }).MQTT_WS_PORT,
    ).toBe(null);
  });
});

describe("redactUrl", () => {
  it.each([
    ["mqtt://user:secret@host:1883", `mqtt://user:${HIDDEN}@host:1883`],
    ["postgresql://app:p%40ss@db:5432/x", `postgresql://app:${HIDDEN}@db:5432/x`],
    ["mqtt://host:1883", "mqtt://host:1883"],
    ["file:./data/x.db", "file:./data/x.db"],
  ])("%s → %s", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

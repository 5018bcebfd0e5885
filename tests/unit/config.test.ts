import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../dispatcher/config.ts";

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
  it("names the variable that is wrong", () => {
    expect(() => loadConfig({ PORT: "seventy" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ DATABASE_URL: "postgres://x" })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ BROKER_URL: "not a url" })).toThrow(/BROKER_URL/);
  });
  it("requires the service password with an external broker", () => {
    expect(() => loadConfig({ BROKER_URL: "mqtt://broker:1883" })).toThrow(/BROKER_SERVICE_PASSWORD/);
    expect(
      loadConfig({ BROKER_URL: "mqtt://broker:1883", BROKER_SERVICE_PASSWORD: "long-enough" }).BROKER_URL,
    ).toBe("mqtt://broker:1883");
  });
  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "" }).PORT).toBe(3000);
  });
});

// The examples of docs/protocol.md are real: each device event shown there is read by the platform
// as sent, without faults, and passes the strict schema device makers are given.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DeviceEventSchema } from "../../protocol/index.ts";
import { readDeviceEvent } from "../../dispatcher/devices/event-reader.ts";

const doc = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
  .map((m) => JSON.parse(m[1]!) as Record<string, unknown>)
  .filter((e) => "eventId" in e && "type" in e);

describe("docs/protocol.md's device events", () => {
  it("has examples of the sensor events and of a location", () => {
    const types = examples.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["sos", "smoke", "motion", "door_open", "fall"]));
    expect(examples.some((e) => "location" in e)).toBe(true);
  });

  it.each(examples.map((e) => [String(e.eventId), e] as const))("%s is read as sent", (_id, example) => {
    expect(DeviceEventSchema.safeParse(example).success).toBe(true);
    const read = readDeviceEvent(JSON.stringify(example));
    expect(read).toMatchObject({
      ok: true,
      event: { eventId: example.eventId, type: example.type, faults: [] },
    });
  });
});

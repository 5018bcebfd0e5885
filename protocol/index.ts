export * from "./domain.ts";
export * from "./geo.ts";
export * from "./time.ts";
export * from "./mqtt.ts";
export * from "./api.ts";
export * from "./socket.ts";

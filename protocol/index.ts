export * from "./mqtt.ts";
export * from "./domain.ts";
export * from "./api.ts";
export * from "./socket.ts";

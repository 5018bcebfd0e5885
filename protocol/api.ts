// The REST DTOs, one file per feature; this file only gathers them.
export * from "./auth.ts";
export * from "./cases.ts";
export * from "./calls.ts";
export * from "./responders.ts";
export * from "./devices.ts";
export * from "./kpi.ts";
export * from "./alerts.ts";
export * from "./follow-ups.ts";
export * from "./map.ts";
export * from "./platform.ts";
export * from "./health.ts";
export * from "./errors.ts";

// Service-order changes and reminders, and coverage alerts, heard on the realtime socket, for the
// screens that list them (they reload on each).
import type { CoverageAlert, ServiceOrder } from "../../../protocol/api.ts";
import { channel } from "../lib/channel.ts";

export type OrderEvent = { kind: "updated" | "reminder"; order: ServiceOrder };
const orders = channel<OrderEvent>();
export const orderEvent = orders.emit;
export const onOrderEvent = orders.on;

const coverage = channel<CoverageAlert>();
export const coverageAlertEvent = coverage.emit;
export const onCoverageAlert = coverage.on;

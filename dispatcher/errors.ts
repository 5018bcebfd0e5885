// Typed domain errors: HTTP maps `code` to a status once (http/errors.ts); MQTT ingest logs and counts.
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "illegal_transition"
  | "offer_closed"
  | "not_assigned"
  | "no_location";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

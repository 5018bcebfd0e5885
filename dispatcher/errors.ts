// A typed domain error: edge/http.ts maps its code to an HTTP status once (protocol ERROR_STATUS);
// the device intake logs it and counts the event as rejected.
import type { ErrorCode, ErrorDetails } from "../protocol/index.ts";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Typed facts the console turns into a sentence in the UI language (field, limit, name…). */
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }
}

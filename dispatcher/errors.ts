// A typed domain error: edge/http.ts maps its code to an HTTP status once (protocol ERROR_STATUS);
// the device intake logs it and counts the event as rejected.
import type { ErrorCode } from "../protocol/index.ts";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

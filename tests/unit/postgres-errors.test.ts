// Which PostgreSQL errors are storage faults (the caller backs off and retries, nothing was
// committed) and which are the statement's own (a constraint, a typo).
import { describe, expect, it } from "vitest";
import { asStorageError } from "../../dispatcher/db/postgres.ts";
import { StorageError } from "../../dispatcher/db/sql.ts";

const withCode = (code: string, message = "boom") => Object.assign(new Error(message), { code });

describe("PostgreSQL errors as storage faults", () => {
  it.each([
    ["08006", "io"], // connection failure
    ["57P01", "io"], // admin shutdown
    ["57P03", "io"], // the server is starting up
    ["55P03", "busy"], // lock timeout
    ["40P01", "busy"], // deadlock
    ["57014", "busy"], // statement timeout
    ["53300", "busy"], // too many connections
    ["25006", "read_only"],
    ["53100", "full"],
    ["58030", "io"],
    ["XX001", "corrupt"],
    ["ECONNREFUSED", "io"],
    ["ECONNRESET", "io"],
  ])("%s → %s", (code, fault) => {
    const err = asStorageError(withCode(code));
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ fault, message: `boom (${code})` });
  });

  it("a connection pg reports lost, without a code, is an I/O fault", () => {
    expect(asStorageError(new Error("Connection terminated unexpectedly"))).toMatchObject({ fault: "io" });
  });

  it.each([["23505"], ["23503"], ["42601"], ["22P02"]])("%s stays the statement's own error", (code) => {
    const original = withCode(code);
    expect(asStorageError(original)).toBe(original);
  });
});

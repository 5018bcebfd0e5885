// A setup file of the integration projects: the test file's PostgreSQL cluster, if it started
// one, stops after the file.
import { afterAll } from "vitest";
import { stopSharedPostgres } from "./database.ts";

afterAll(stopSharedPostgres);

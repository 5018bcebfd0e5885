// What a benchmark leaves behind: a table per measurement on stdout, with the peer measured in
// the same run, and bench/results/<name>.json with the figures, the conditions, the machine, the
// commit and the load average before and after (the cores are shared with other work).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_RESULTS_DIR, type RunOptions } from "./config.ts";
import { gitCommit, loadAverage, machine, type Commit, type Machine } from "./machine.ts";

export type Row = Record<string, string | number | boolean | null>;

export interface Target {
  /** What the issue asks, in words: "fan-in embedded / Mosquitto ≥ 1.0". */
  name: string;
  value: number | null;
  /** Met when value <op> limit. */
  op: "<" | "<=" | ">=" | "=";
  limit: number;
  met: boolean;
}

export interface BenchResult {
  name: string;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  machine: Machine;
  git: Commit;
  load: { before: [number, number, number]; after: [number, number, number] | null };
  conditions: Record<string, unknown>;
  tables: Record<string, Row[]>;
  ratios: Record<string, number | null>;
  targets: Target[];
  notes: string[];
}

export class BenchReport {
  readonly result: BenchResult;
  private readonly started = performance.now();

  constructor(
    private readonly name: string,
    conditions: Record<string, unknown>,
    private readonly run: RunOptions = {},
  ) {
    this.result = {
      name,
      startedAt: new Date().toISOString(),
      finishedAt: "",
      seconds: 0,
      machine: machine(),
      git: gitCommit(),
      load: { before: loadAverage(), after: null },
      conditions,
      tables: {},
      ratios: {},
      targets: [],
      notes: [],
    };
    this.print(
      `${name}: load average ${this.result.load.before.join(" ")} on ${this.result.machine.cpus} cpus`,
    );
  }

  table(title: string, rows: Row[]): void {
    this.result.tables[title] = rows;
    if (this.run.quiet) return;
    console.log(`\n${title}`);
    console.table(rows);
  }

  /** A ratio against the peer measured in the same run. */
  ratio(name: string, value: number | null): void {
    this.result.ratios[name] = value;
    this.print(`  ${name}: ${value === null ? "n/a" : `${value}×`}`);
  }

  target(name: string, value: number | null, op: Target["op"], limit: number): void {
    const met =
      value !== null &&
      (op === "<"
        ? value < limit
        : op === "<="
          ? value <= limit
          : op === ">="
            ? value >= limit
            : value === limit);
    this.result.targets.push({ name, value, op, limit, met });
    this.print(`  target ${name} ${op} ${limit}: ${value ?? "n/a"} — ${met ? "met" : "NOT met"}`);
  }

  /** The target every benchmark with peers checks: nothing lost in any of them. */
  noneLost(rows: { lost: number }[]): void {
    this.target(
      "lost, all setups",
      rows.reduce((n, r) => n + r.lost, 0),
      "=",
      0,
    );
  }

  note(text: string): void {
    this.result.notes.push(text);
    this.print(`  note: ${text}`);
  }

  /** Records the load after, writes the JSON file and returns its path. */
  write(): string {
    this.result.finishedAt = new Date().toISOString();
    this.result.seconds = Math.round((performance.now() - this.started) / 100) / 10;
    this.result.load.after = loadAverage();
    const dir = this.run.resultsDir ?? DEFAULT_RESULTS_DIR;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${this.name}.json`);
    writeFileSync(file, `${JSON.stringify(this.result, null, 2)}\n`);
    this.print(
      `\n${this.name}: ${this.result.seconds} s, load average after ${this.result.load.after.join(" ")}; wrote ${file}`,
    );
    return file;
  }

  private print(line: string): void {
    if (!this.run.quiet) console.log(line);
  }
}

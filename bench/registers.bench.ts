// Registers benchmark over HTTP against the real service (SQLite file): the resident search the
// hotline intake calls as people type, on a 2,000- and a 20,000-resident city, against the plain
// first page of the list (its peer in the same run); and a 500-row import, dry run and commit,
// against enrolling the same 500 residents one POST at a time. Writes bench/results/registers.json;
// asserts nothing. Run: npx tsx bench/registers.bench.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Communities, ImportReport, Page, ResidentListItem } from "../protocol/index.ts";
import { api, login, startTestApp, type TestApp } from "../tests/helpers/app.ts";
import { residentInput } from "../tests/helpers/registers.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>, times: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function searchFigures(app: TestApp, token: string) {
  const some = (await api<Page<ResidentListItem>>(app.httpUrl, token, "GET", "/api/residents?pageSize=50"))
    .body.items;
  const r = some[17]!;
  // What a call-taker types: part of a name, a phone's tail, a device id, a street.
  const terms = [r.name.slice(0, 2), r.phone.slice(-4), r.deviceIds[0] ?? r.name, r.address.slice(0, 4)];
  const search: Record<string, number> = {};
  for (const q of terms) {
    const path = `/api/residents?q=${encodeURIComponent(q)}&pageSize=10`;
    search[q] = await timed(() => api(app.httpUrl, token, "GET", path), 30);
  }
  const list = await timed(() => api(app.httpUrl, token, "GET", "/api/residents?pageSize=10"), 30);
  const searchMedian = median(Object.values(search));
  return {
    searchMsByTerm: search,
    searchMs: searchMedian,
    listMs: list,
    ratioSearchToList: searchMedian / list,
  };
}

const results: Record<string, unknown> = {};
for (const residents of [2000, 20000]) {
  const app = await startTestApp({ seed: { residents, caregivers: 30, volunteers: 60 } });
  try {
    const token = (await login(app.httpUrl, "dispatcher")).token;
    results[`search_${residents}`] = await searchFigures(app, token);
    console.log(`search, ${residents} residents:`, results[`search_${residents}`]);
  } finally {
    await app.close();
  }
}

{
  const app = await startTestApp({ seed: { residents: 2000, caregivers: 30, volunteers: 60 } });
  try {
    const admin = (await login(app.httpUrl, "admin")).token;
    const { communities } = (await api<Communities>(app.httpUrl, admin, "GET", "/api/communities")).body;
    const header =
      "姓名,性别,出生日期,电话,住址,社区,网格,居住情况,健康状况,用药,紧急联系人,钥匙保管人,设备编号,设备类型";
    const row = (i: number) => {
      const c = communities[i % communities.length]!;
      return [
        `导入老人${i}`,
        i % 2 ? "男" : "女",
        `19${30 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
        `139${String(i).padStart(8, "0")}`,
        `${c.name} ${i}号楼 1单元 101`,
        c.name,
        c.grids[0]!.name,
        "独居",
        "高血压",
        "硝苯地平",
        `子女${i} 儿子 138${String(i).padStart(8, "0")}`,
        "邻居",
        `BENCH-${String(i).padStart(4, "0")}`,
        "挂件",
      ].join(",");
    };
    const sheet = [header, ...Array.from({ length: 500 }, (_, i) => row(i))].join("\n");
    const upload = async (mode: string) => {
      const t0 = performance.now();
      const res = await fetch(`${app.httpUrl}/api/import/residents?mode=${mode}`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
        body: sheet,
      });
      const body = (await res.json()) as ImportReport;
      if (body.errors.length > 0)
        throw new Error(`import errors: ${JSON.stringify(body.errors.slice(0, 3))}`);
      return performance.now() - t0;
    };
    const dryRunMs = await upload("dry-run");
    const commitMs = await upload("commit");
    // The peer: the same number of residents enrolled one request at a time.
    const inputs = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        residentInput(
          app.httpUrl,
          admin,
          { name: `逐个登记${i}`, phone: `137${String(i).padStart(8, "0")}` },
          i % 5,
        ),
      ),
    );
    const t0 = performance.now();
    for (const input of inputs) await api(app.httpUrl, admin, "POST", "/api/residents", input);
    const oneByOneMs = performance.now() - t0;
    results.import_500 = { dryRunMs, commitMs, oneByOneMs, ratioCommitToOneByOne: commitMs / oneByOneMs };
    console.log("import of 500 rows:", results.import_500);
  } finally {
    await app.close();
  }
}

const out = join(dirname(fileURLToPath(import.meta.url)), "results", "registers.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2)}\n`);
console.log(`written to ${out}`);

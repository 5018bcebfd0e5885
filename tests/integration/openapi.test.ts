// The API documentation: generated from the zod schemas, served at /api/openapi.json with a
// browsable page whose files all come from the platform itself; every route the service mounts
// is documented, and nothing documented is missing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiPath } from "../../dispatcher/openapi/document.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 20, caregivers: 2, volunteers: 2 } });
});
afterAll(async () => {
  await app?.close();
});

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>>;
}

async function document(): Promise<Doc> {
  const res = await fetch(`${app.httpUrl}/api/openapi.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe("the OpenAPI document", () => {
  it("documents every mounted route, and only mounted ones", async () => {
    const doc = await document();
    expect(doc.openapi).toBe("3.1.0");
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    const mounted = app.routes.map((r) => `${r.method} ${openApiPath(r.path)}`);
    expect(mounted.length).toBeGreaterThan(50);
    expect([...new Set(mounted)].sort()).toEqual([...new Set(documented)].sort());
  });

  it("describes bodies and answers from the protocol's schemas", async () => {
    const doc = await document();
    const create = doc.paths["/api/residents"]!.post!;
    expect(create.responses["201"]).toBeDefined();
    const text = JSON.stringify(doc.paths["/api/residents"]);
    for (const field of ["emergencyContacts", "birthDate", "keyHolder"]) expect(text).toContain(field);
    expect(JSON.stringify(doc.paths["/api/devices"]!.post)).toContain("secret");
  });

  it("has a browsable page whose every file is served by the platform (no CDN)", async () => {
    const page = await fetch(`${app.httpUrl}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.url).toMatch(/\/api\/docs\/$/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(2);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^https?:/);
      const res = await fetch(new URL(asset, page.url));
      expect(res.status, asset).toBe(200);
    }
    const init = await (await fetch(`${app.httpUrl}/api/docs/swagger-initializer.js`)).text();
    expect(init).toContain("/api/openapi.json");
    expect(init).not.toContain("petstore");
  });
});

// `GET /api/openapi.json` and `GET /api/docs`: the document and a browsable page for it, served
// from the swagger-ui-dist package (no CDN: community centres are often offline).
import express, { Router } from "express";
import { getAbsoluteFSPath } from "swagger-ui-dist";
import { openApiDocument } from "./document.ts";

const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
  });
};
`;

export function openApiRoutes(): Router {
  const document = JSON.stringify(openApiDocument());
  const r = Router();
  r.get("/openapi.json", (_req, res) => void res.type("application/json").send(document));
  r.get("/docs", (req, res, next) => (req.path.endsWith("/") ? next() : res.redirect(301, "/api/docs/")));
  // Ours, in place of the package's (which points at a demo server on the internet); one of the
  // page's files, like the package's below.
  r.use("/docs/swagger-initializer.js", (_req, res) => void res.type("text/javascript").send(INITIALIZER));
  r.use("/docs", express.static(getAbsoluteFSPath(), { index: "index.html", maxAge: "1h" }));
  return r;
}

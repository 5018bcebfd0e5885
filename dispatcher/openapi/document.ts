// The OpenAPI 3.1 document, generated from the operations table and protocol's zod schemas.
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { ApiErrorSchema, PERMISSIONS, type Permission } from "../../protocol/index.ts";
import { CARE_OPERATIONS } from "./care-operations.ts";
import { OPERATIONS, type Operation } from "./operations.ts";

/** `/api/cases/:id` → `/api/cases/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

const errors = {
  default: {
    description:
      "An error: `code` for programs, `message` in English, `details` for the sentence a console shows",
    content: { "application/json": { schema: ApiErrorSchema } },
  },
};

function who(o: Operation): string {
  if (o.who in PERMISSIONS) return `${o.who}: ${PERMISSIONS[o.who as Permission].join(", ")}`;
  return o.who;
}

function operation(o: Operation): ZodOpenApiOperationObject {
  const names = [...o.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const path = names.length ? z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) : undefined;
  const status = String(o.status ?? 200);
  const answer =
    o.answer === null
      ? { description: "Done" }
      : o.answer instanceof z.ZodType
        ? { description: "OK", content: { "application/json": { schema: o.answer } } }
        : { description: "A file", content: { [o.answer.file]: { schema: z.string() } } };
  return {
    tags: [o.tag],
    summary: o.summary,
    description: `Who: ${who(o)}.`,
    ...(o.who === "anyone" ? { security: [] } : {}),
    ...(path || o.query
      ? {
          requestParams: { ...(path ? { path } : {}), ...(o.query ? { query: o.query as z.ZodObject } : {}) },
        }
      : {}),
    ...(o.body === "sheet"
      ? {
          requestBody: {
            content: {
              "text/csv": { schema: z.string() },
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string() },
            },
          },
        }
      : o.body
        ? { requestBody: { content: { "application/json": { schema: o.body } } } }
        : {}),
    responses: { [status]: answer, ...errors },
  };
}

export function openApiDocument(): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const o of [...OPERATIONS, ...CARE_OPERATIONS]) {
    const p = (paths[openApiPath(o.path)] ??= {});
    p[o.method] = operation(o);
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: '社区居家养老"110" — call & dispatch platform',
      version: "1",
      description:
        "REST API of the platform. Log in with POST /api/auth/login and send the token as `Authorization: Bearer <token>`. " +
        "Roles and what they may do: protocol/roles.ts. Staff may be limited to communities; records outside them read as 404.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  });
}

// REST calls of the register screens (residents, devices, responders, users, audit, import).
import type {
  AuditEntity,
  AuditEntryDto,
  Communities,
  DeviceCreate,
  DevicePatch,
  DeviceRecord,
  DeviceWithSecret,
  ImportReport,
  Page,
  PasswordChange,
  ResidentInput,
  ResidentListItem,
  ResidentPatch,
  ResidentRecord,
  ResponderCreate,
  ResponderPatch,
  ResponderRecord,
  SensorSettings,
  UserCreate,
  UserPatch,
  UserRecord,
} from "../../../protocol/api.ts";
import { qs, request, send } from "../api.ts";

type Query = Record<string, string | number | undefined>;
const params = (q: Query) =>
  qs(
    Object.fromEntries(
      Object.entries(q).map(([k, v]) => [k, v === undefined || v === "" ? undefined : String(v)]),
    ),
  );

const body = <T>(method: string, path: string, b?: unknown) => request<T>(method, path, { body: b ?? {} });

/** A file the API answers with (it needs the bearer token, so it comes as a blob). */
export async function download(path: string): Promise<{ blob: Blob; filename: string }> {
  const res = await send("GET", path, undefined, false);
  const disposition = res.headers.get("Content-Disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/.exec(disposition)?.[1];
  return { blob: await res.blob(), filename: encoded ? decodeURIComponent(encoded) : (plain ?? "download") };
}

export const registers = {
  communities: () => request<Communities>("GET", "/api/communities"),

  residents: (q: Query) => request<Page<ResidentListItem>>("GET", `/api/residents${params(q)}`),
  resident: (id: number) => request<ResidentRecord>("GET", `/api/residents/${id}`),
  sensorSettings: (id: number) => request<SensorSettings>("GET", `/api/residents/${id}/sensors`),
  saveSensorSettings: (id: number, s: SensorSettings) =>
    body<SensorSettings>("PUT", `/api/residents/${id}/sensors`, s),
  createResident: (input: ResidentInput) => body<ResidentRecord>("POST", "/api/residents", input),
  updateResident: (id: number, patch: ResidentPatch) =>
    body<ResidentRecord>("PATCH", `/api/residents/${id}`, patch),
  retireResident: (id: number) => body<ResidentRecord>("POST", `/api/residents/${id}/retire`),

  createDevice: (input: Partial<DeviceCreate> & Pick<DeviceCreate, "residentId" | "kind">) =>
    body<DeviceWithSecret>("POST", "/api/devices", input),
  updateDevice: (id: string, patch: DevicePatch) =>
    body<DeviceRecord>("PATCH", `/api/devices/${encodeURIComponent(id)}`, patch),
  rotateSecret: (id: string) =>
    body<DeviceWithSecret>("POST", `/api/devices/${encodeURIComponent(id)}/secret`),
  retireDevice: (id: string) => body<DeviceRecord>("POST", `/api/devices/${encodeURIComponent(id)}/retire`),

  responders: (q: Query) => request<Page<ResponderRecord>>("GET", `/api/responders/directory${params(q)}`),
  responder: (id: number) => request<ResponderRecord>("GET", `/api/responders/${id}`),
  createResponder: (input: ResponderCreate) => body<ResponderRecord>("POST", "/api/responders", input),
  updateResponder: (id: number, patch: ResponderPatch) =>
    body<ResponderRecord>("PATCH", `/api/responders/${id}`, patch),
  retireResponder: (id: number) => body<ResponderRecord>("POST", `/api/responders/${id}/retire`),

  users: (q: Query) => request<Page<UserRecord>>("GET", `/api/users${params(q)}`),
  user: (id: number) => request<UserRecord>("GET", `/api/users/${id}`),
  createUser: (input: UserCreate) => body<UserRecord>("POST", "/api/users", input),
  updateUser: (id: number, patch: UserPatch) => body<UserRecord>("PATCH", `/api/users/${id}`, patch),
  setPassword: (id: number, change: PasswordChange) =>
    body<void>("POST", `/api/users/${id}/password`, change),

  audit: (entity: AuditEntity, id: string | number, page = 1) =>
    request<Page<AuditEntryDto>>(
      "GET",
      `/api/audit${params({ entity, id: String(id), page, pageSize: 20 })}`,
    ),

  importSheet: (file: Blob, mode: "dry-run" | "commit", lang: string) =>
    request<ImportReport>("POST", `/api/import/residents${params({ mode, lang })}`, { body: file }),
  importTemplate: (format: "xlsx" | "csv", lang: string) =>
    download(`/api/import/residents/template${params({ format, lang })}`),
};

// Minimal JSON client for the dispatcher's REST API (bearer token), used by simulated phones.
import { ApiErrorSchema, LoginResponseSchema, type LoginResponse } from "../protocol/api.ts";

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

export class ApiClient {
  private token: string | null = null;

  constructor(readonly baseUrl: string) {}

  get bearer(): string | null {
    return this.token;
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    const body = await this.call("POST", "/api/auth/login", { username, password });
    const parsed = LoginResponseSchema.safeParse(body);
    if (!parsed.success)
      throw new ApiRequestError(502, "bad_response", "login answer has an unexpected shape");
    this.token = parsed.data.token;
    return parsed.data;
  }

  /** Sends a request; resolves with the JSON body (undefined for 204), throws ApiRequestError otherwise. */
  async call(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let json: unknown = undefined;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) {
      const body = ApiErrorSchema.safeParse(json);
      if (body.success) throw new ApiRequestError(res.status, body.data.error.code, body.data.error.message);
      throw new ApiRequestError(res.status, `http_${res.status}`, `${method} ${path} → ${res.status}`);
    }
    return json;
  }
}

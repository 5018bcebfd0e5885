// Which push endpoints the dispatcher may post to (pure). A subscription names a URL the platform
// will send requests to, so only the browsers' push services (PUSH_ENDPOINT_ORIGINS) are accepted.

export interface OriginPattern {
  protocol: string;
  /** Exact host, or a suffix when the pattern starts with `*.`. */
  host: string;
  anySubdomain: boolean;
  /** null = any port; "" = the protocol's default. */
  port: string | null;
}

/** "https://*.push.apple.com,http://127.0.0.1:*" → patterns; throws on a malformed entry. */
export function parseOriginPatterns(list: string): OriginPattern[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((entry) => {
      const m = /^(https?):\/\/(\*\.)?([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d+|\*))?$/i.exec(entry);
      if (!m) throw new Error(`not an origin pattern: ${entry}`);
      return {
        protocol: `${m[1]!.toLowerCase()}:`,
        host: m[3]!.toLowerCase(),
        anySubdomain: m[2] !== undefined,
        port: m[4] === "*" ? null : (m[4] ?? ""),
      };
    });
}

export function endpointAllowed(endpoint: string, patterns: readonly OriginPattern[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username !== "" || url.password !== "") return false;
  const host = url.hostname.toLowerCase();
  return patterns.some(
    (p) =>
      p.protocol === url.protocol &&
      (p.anySubdomain ? host.endsWith(`.${p.host}`) : host === p.host) &&
      (p.port === null || p.port === url.port),
  );
}

// Security headers of every HTTP answer (helmet): a Content Security Policy that fits the console
// (its own scripts and styles only, map tiles from any HTTPS tile server, its API and socket on
// the same origin), no framing by anyone, no MIME sniffing, no referrer to other sites.
// HTTP deployments keep working: requests are not upgraded to HTTPS (TLS is the operator's
// choice, docs/security.md), and HSTS only means something over HTTPS.
import helmet from "helmet";

export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        // Map tiles (VITE_TILE_URL, OpenStreetMap by default) and Leaflet's data: icons.
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "same-origin" },
  });
}

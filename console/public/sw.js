// Service worker of the phone app and the family view (no inline code anywhere, so a strict CSP holds).
// 1. Offline: the app shell and every built asset are cached at install (precache.json lists what
//    the build made), so the app opens without network and shows the last state kept on the phone.
//    API calls and the socket always go to the network; live data is never served from a cache.
// 2. Push: an offer, a withdrawal, a job reassigned away or cancelled (or, for a family member, a
//    stage of their elder's case) arrives as a notification with vibration even with the page
//    closed; tapping it opens the app at the offer or the case.
const CACHE = "eldercare-shell-v2";
const SHELL = [
  "/responder",
  "/manifest.webmanifest",
  "/icon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/apple-touch-icon.png",
];
const URGENT_VIBRATION = [600, 200, 600, 200, 600, 200, 600];

async function precache() {
  const cache = await caches.open(CACHE);
  await cache.addAll(SHELL);
  // Hashed build output: listed by the build; missing in development, where nothing is cached.
  const listed = await fetch("/precache.json").then(
    (r) => (r.ok ? r.json() : []),
    () => [],
  );
  await cache.addAll(listed.map((f) => `/${f}`));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (
    url.pathname.startsWith("/api/") ||
    url.pathname.startsWith("/socket.io/") ||
    url.pathname === "/healthz"
  )
    return;

  // Pages: network first so a new release is picked up; the cached shell when offline.
  if (req.mode === "navigate") {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            void caches.open(CACHE).then((cache) => cache.put("/responder", copy));
          }
          return res;
        })
        .catch(() => caches.match("/responder").then((r) => r || Response.error())),
    );
    return;
  }

  // Hashed build assets never change under the same name: cache first.
  if (url.pathname.startsWith("/assets/") || SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              void caches.open(CACHE).then((cache) => cache.put(req, copy));
            }
            return res;
          }),
      ),
    );
  }
});

self.addEventListener("push", (event) => {
  let msg = null;
  try {
    msg = event.data ? event.data.json() : null;
  } catch {
    msg = null;
  }
  if (!msg || typeof msg.title !== "string") return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      // The app in front of the responder already rang and shows it (the socket brought it too).
      if (windows.some((w) => w.focused && w.visibilityState === "visible")) return undefined;
      return self.registration.showNotification(msg.title, {
        body: msg.body,
        tag: msg.tag,
        renotify: true,
        requireInteraction: msg.urgent === true,
        vibrate: msg.urgent === true ? URGENT_VIBRATION : [200],
        icon: "/icons/icon-192.png",
        badge: "/icons/icon-192.png",
        data: { url: msg.url, kind: msg.kind, caseId: msg.caseId, offerId: msg.offerId },
      });
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(
    (event.notification.data && event.notification.data.url) || "/responder",
    self.location.origin,
  );
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === target.origin);
      if (open) return open.navigate(target.href).then((w) => (w || open).focus());
      return self.clients.openWindow(target.href);
    }),
  );
});

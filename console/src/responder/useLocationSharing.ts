// Shares the phone's position while on duty: watchPosition, at most one POST every ~10 s.
import { useEffect, useRef, useState } from "react";
import { api } from "../api.ts";

const LOCATION_INTERVAL_MS = 10_000;

export type LocationState =
  | { kind: "off" }
  | { kind: "waiting" }
  | { kind: "sharing"; sentAt: number | null }
  | { kind: "denied" }
  | { kind: "unsupported" };

export function useLocationSharing(onDuty: boolean): LocationState {
  const [state, setState] = useState<LocationState>({ kind: "off" });
  const latest = useRef<GeolocationPosition | null>(null);

  useEffect(() => {
    if (!onDuty) {
      setState({ kind: "off" });
      return;
    }
    if (!("geolocation" in navigator)) {
      setState({ kind: "unsupported" });
      return;
    }
    setState({ kind: "waiting" });
    let lastSent = 0;
    let inFlight = false;
    const send = () => {
      const pos = latest.current;
      if (!pos || inFlight) return;
      inFlight = true;
      lastSent = Date.now();
      const { latitude, longitude, accuracy } = pos.coords;
      api
        .location(latitude, longitude, Number.isFinite(accuracy) ? accuracy : undefined)
        .then(() => setState({ kind: "sharing", sentAt: Date.now() }))
        .catch(() => undefined) // the next fix retries
        .finally(() => {
          inFlight = false;
        });
    };
    const watch = navigator.geolocation.watchPosition(
      (pos) => {
        latest.current = pos;
        setState((s) => (s.kind === "sharing" ? s : { kind: "sharing", sentAt: null }));
        if (Date.now() - lastSent >= LOCATION_INTERVAL_MS) send();
      },
      (err) => {
        if (err.code === err.PERMISSION_DENIED) setState({ kind: "denied" });
      },
      { enableHighAccuracy: true, maximumAge: 5000, timeout: 30_000 },
    );
    // A phone standing still fires no new fixes; keep the server's copy fresh anyway.
    const timer = setInterval(send, LOCATION_INTERVAL_MS);
    return () => {
      navigator.geolocation.clearWatch(watch);
      clearInterval(timer);
    };
  }, [onDuty]);

  return state;
}

// The deployment's settings (/api/platform) for the console, the phone app and the family view: the zone every
// time on screen is shown in (lib/zone.ts), alarm repeats, the follow-up retry. Until the answer
// comes (or if it cannot), the protocol's defaults stand.
import { useEffect } from "react";
import { PLATFORM_TIME_ZONE } from "../../../protocol/domain.ts";
import type { PlatformInfo } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { setPlatformZone } from "../lib/zone.ts";
import { store, useStore } from "../store.ts";

const DEFAULT_SETTINGS: PlatformInfo = {
  timeZone: PLATFORM_TIME_ZONE,
  alarm: { repeats: 1, repeatSeconds: 30 },
  followUpRetryMinutes: 30,
};

/**
 * Loads the settings once per session. A screen keyed on the returned `timeZone` is drawn again
 * when the platform's zone turns out to differ from the default it was first drawn in.
 */
export function usePlatformSettings(token: string): PlatformInfo {
  useEffect(() => {
    let live = true;
    api.platform().then(
      (p) => {
        if (!live) return;
        setPlatformZone(p.timeZone);
        store.setSettings(p);
      },
      () => undefined, // the defaults stand; the reconnect banner tells of a server problem
    );
    return () => {
      live = false;
    };
  }, [token]);
  return useStore((s) => s.settings) ?? DEFAULT_SETTINGS;
}

// Keeps the screen on while a job is active (the responder navigates, calls, looks up the file).
// The browser drops the lock when the page is hidden, so it is taken again when the page returns.
import { useEffect, useState } from "react";

export function useWakeLock(active: boolean): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!active || !("wakeLock" in navigator)) return;
    let lock: WakeLockSentinel | null = null;
    let live = true;
    const take = () => {
      if (document.visibilityState !== "visible" || lock) return;
      navigator.wakeLock.request("screen").then(
        (l) => {
          if (!live) return void l.release();
          lock = l;
          setHeld(true);
          l.addEventListener("release", () => {
            lock = null;
            setHeld(false);
          });
        },
        () => setHeld(false), // refused (battery saver, no user gesture yet)
      );
    };
    take();
    document.addEventListener("visibilitychange", take);
    return () => {
      live = false;
      document.removeEventListener("visibilitychange", take);
      void lock?.release();
    };
  }, [active]);
  return held;
}

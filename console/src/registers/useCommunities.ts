// The communities (with their grids) in the user's scope and the platform's service area, loaded
// once per console: every register form and filter offers them.
import { useEffect, useState } from "react";
import type { Communities } from "../../../protocol/api.ts";
import { registers } from "./api.ts";

let loaded: Promise<Communities> | null = null;

export function useCommunities(): Communities | null {
  const [data, setData] = useState<Communities | null>(null);
  useEffect(() => {
    let live = true;
    loaded ??= registers.communities().catch((err: unknown) => {
      loaded = null; // a failure is retried by the next screen that asks
      throw err;
    });
    loaded.then(
      (c) => live && setData(c),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return data;
}

// A benchmark file is both a module (the smoke tests import its run function with tiny counts)
// and a script (`npm run bench -- <name>` runs it with full-size defaults).
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
}

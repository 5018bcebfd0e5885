// The package types its promise-based memory store in types/, where the module path does not
// point; this maps the path the broker imports onto those types.
declare module "aedes-persistence/asyncPersistence.js" {
  // The types are declared with `export =`, which only this form of import can re-export.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  import MemoryPersistence = require("aedes-persistence/types/asyncPersistence");
  export = MemoryPersistence;
}

/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Tile URL template for the map; "none" runs without tiles. Default: OpenStreetMap. */
  readonly VITE_TILE_URL?: string;
  readonly VITE_TILE_ATTRIBUTION?: string;
}

// Where map tiles come from (configurable, optional): every map of the console uses these.
const DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const DEFAULT_ATTRIBUTION =
  '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

// VITE_TILE_URL="none" (or "off") runs without tiles, e.g. on an isolated network.
const envUrl = import.meta.env.VITE_TILE_URL;
export const TILE_URL = envUrl === undefined || envUrl === "" ? DEFAULT_TILES : envUrl;
export const TILE_ATTRIBUTION = import.meta.env.VITE_TILE_ATTRIBUTION || DEFAULT_ATTRIBUTION;
export const TILES_ENABLED = TILE_URL !== "none" && TILE_URL !== "off";

// `npm run icons`: the phone app's PNG icons (console/public/icons/), rendered from icon.svg by
// Debian's Chromium, so no native image library has to be installed. Chromium's installability
// check wants 192 and 512 px PNGs; Android crops "maskable" icons to a circle or squircle (content
// inside the middle 80 %); iOS takes only a PNG apple-touch-icon, which it rounds itself.
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../tests/e2e/browser.ts";

const PUBLIC = fileURLToPath(new URL("../console/public/", import.meta.url));
const BRAND = "#b71c1c";

const ICONS = [
  // The rounded logo as drawn, on transparency.
  { file: "icon-192.png", size: 192, scale: 1, background: "transparent" },
  { file: "icon-512.png", size: 512, scale: 1, background: "transparent" },
  // Full-bleed brand colour; the logo within the safe zone.
  { file: "icon-maskable-512.png", size: 512, scale: 0.72, background: BRAND },
  { file: "apple-touch-icon.png", size: 180, scale: 0.86, background: BRAND },
] as const;

const svg = readFileSync(`${PUBLIC}icon.svg`, "utf8");
mkdirSync(`${PUBLIC}icons`, { recursive: true });
const browser = await launchChromium();
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const inner = Math.round(icon.size * icon.scale);
    await page.setContent(
      `<html><body style="margin:0;display:grid;place-items:center;width:${icon.size}px;height:${icon.size}px;background:${icon.background}">
         <div style="width:${inner}px;height:${inner}px">${svg.replace("<svg ", `<svg width="${inner}" height="${inner}" `)}</div>
       </body></html>`,
    );
    await page.screenshot({
      path: `${PUBLIC}icons/${icon.file}`,
      omitBackground: icon.background === "transparent",
      clip: { x: 0, y: 0, width: icon.size, height: icon.size },
    });
    await page.close();
    console.log(`console/public/icons/${icon.file} (${icon.size}×${icon.size})`);
  }
} finally {
  await browser.close();
}

// Where the navigate buttons point (pure). The primary link opens the phone's own map app with no
// web page in between, so it works on a weak network: `geo:` on Android (RFC 5870, WGS-84) and
// Apple Maps on iOS. AMap and Baidu get their app schemes with the coordinate system named, since
// both store GCJ-02/BD-09 and shift WGS-84 points themselves. The plain coordinates are always shown.
import type { CaseSummary } from "../../../protocol/api.ts";

type Place = Pick<CaseSummary, "lat" | "lng" | "residentName" | "address">;

export interface NavLinks {
  primary: string;
  amap: string;
  baidu: string;
  /** "34.36123, 107.14021": to read out or paste into any map. */
  coordinates: string;
}

const APP = "eldercare110";
const fixed = (n: number) => n.toFixed(6);

export function navLinks(p: Place, userAgent: string): NavLinks {
  const lat = fixed(p.lat);
  const lng = fixed(p.lng);
  const label = encodeURIComponent(p.residentName);
  const ios = /iPhone|iPad|iPod/.test(userAgent);
  const amap = ios
    ? `iosamap://viewMap?sourceApplication=${APP}&poiname=${label}&lat=${lat}&lon=${lng}&dev=1`
    : `androidamap://viewMap?sourceApplication=${APP}&poiname=${label}&lat=${lat}&lon=${lng}&dev=1`;
  return {
    primary: ios
      ? `https://maps.apple.com/?ll=${lat},${lng}&q=${label}`
      : `geo:${lat},${lng}?q=${lat},${lng}(${label})`,
    amap,
    baidu: `baidumap://map/marker?location=${lat},${lng}&title=${label}&content=${encodeURIComponent(p.address)}&coord_type=wgs84&src=${APP}`,
    coordinates: `${lat}, ${lng}`,
  };
}

/** The first phone number written in free text ("女儿 李娜 13912345678" → "13912345678"). */
export function phoneIn(text: string | null): string | null {
  const m = text ? /(\+?\d[\d -]{5,}\d)/.exec(text) : null;
  return m ? m[1]!.replace(/[ -]/g, "") : null;
}

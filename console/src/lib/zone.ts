// The platform's time zone, which every time on screen is shown in: the protocol's default until
// the console has read /api/platform (the deployment may set another).
import { PLATFORM_TIME_ZONE } from "../../../protocol/domain.ts";

let zone: string = PLATFORM_TIME_ZONE;

export function platformZone(): string {
  return zone;
}

export function setPlatformZone(next: string): void {
  zone = next;
}

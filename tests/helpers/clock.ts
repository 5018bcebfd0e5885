// A clock tests move forward instead of waiting: real time plus an offset, so everything that
// also uses real timers keeps working.
import type { Clock } from "../../dispatcher/clock.ts";

export class TestClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

// Time is injected: the engine, timers and tests share one notion of "now".
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

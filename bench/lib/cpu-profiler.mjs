// Preloaded into a benchmarked process (NODE_OPTIONS=--import=…/cpu-profiler.mjs) to write a V8
// CPU profile, like `node --cpu-prof`, which Node 20 does not allow in NODE_OPTIONS. Plain
// JavaScript so it loads before tsx. Settings (this process's own, read once here):
//   ELDERCARE_CPU_PROFILE=/path/name.cpuprofile   where to write it
//   ELDERCARE_CPU_PROFILE_ON_SIGNAL=1             profile only between two SIGUSR2 (the measured
//                                                 phase), instead of from start to exit
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const file = process.env.ELDERCARE_CPU_PROFILE;
const onSignal = process.env.ELDERCARE_CPU_PROFILE_ON_SIGNAL === "1";

if (file) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  let running = false;
  const start = () => {
    session.post("Profiler.start");
    running = true;
  };
  // The in-process inspector answers synchronously, so this also completes inside an exit handler.
  const stop = () => {
    if (!running) return;
    running = false;
    session.post("Profiler.stop", (err, result) => {
      if (!err) writeFileSync(file, JSON.stringify(result.profile));
    });
  };
  if (onSignal) process.on("SIGUSR2", () => (running ? stop() : start()));
  else start();
  process.once("exit", stop);
}

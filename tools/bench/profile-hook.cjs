// Loaded into each spawned app with NODE_OPTIONS=--require (node refuses
// --cpu-prof there): starts the V8 CPU profiler at once and writes
// $BENCH_PROFILE_DIR/<name>-<pid>.cpuprofile when the process exits (SIGTERM
// included: the apps exit through process.exit). The in-process inspector
// session answers synchronously, so this works inside an 'exit' handler.
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync, mkdirSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error || !result) return;
      const app = basename(dirname(process.argv[1] || 'node'));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${app}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}

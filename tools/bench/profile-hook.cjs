// Loaded into each spawned app with NODE_OPTIONS=--require (node refuses
// --cpu-prof there): starts the V8 CPU profiler at once and writes
// $BENCH_PROFILE_DIR/<name>-<pid>.cpuprofile when the process exits (SIGTERM
// included: the apps exit through process.exit). The in-process inspector
// session answers synchronously, so this works inside an 'exit' handler.
//
// SIGUSR2 cuts the profile: what was sampled since the previous cut is
// written to <name>-<pid>-cut<N>.cpuprofile (N = 1, 2, …; written under a
// temporary name, then renamed, so a reader never sees half a file) and
// sampling starts afresh. The benchmark cuts at the start and the end of a
// phase, so the second file of the pair is that phase alone.
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync, mkdirSync, renameSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const app = basename(dirname(process.argv[1] || 'node'));
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  const stopInto = (file) => {
    session.post('Profiler.stop', (error, result) => {
      if (error || !result) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      renameSync(`${file}.tmp`, file);
    });
  };
  let cuts = 0;
  process.on('SIGUSR2', () => {
    cuts += 1;
    stopInto(join(dir, `${app}-${process.pid}-cut${cuts}.cpuprofile`));
    session.post('Profiler.start');
  });
  process.on('exit', () => stopInto(join(dir, `${app}-${process.pid}.cpuprofile`)));
}

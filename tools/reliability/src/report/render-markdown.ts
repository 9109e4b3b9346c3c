import { MIB } from '../system/proc-stats';
import { violationsOf, type SuiteSummary } from './summary';

type Row = readonly [what: string, figure: string, required: string];

/** The summary as a Markdown table (the figures) followed by the violations, if any. */
export function renderMarkdown(summary: SuiteSummary): string {
  const violations = violationsOf(summary);
  const lines = [
    `# Reliability report (${summary.mode} mode${summary.storage === 'jetstream' ? ', JetStream storage' : ''})`,
    '',
    `Started ${summary.startedAt}, ran ${(summary.durationMs / 1000).toFixed(0)} s, seed ${summary.seed}: **${violations.length === 0 ? 'PASS' : 'FAIL'}**.`,
    '',
    '| Check | Figure | Must be |',
    '| --- | --- | --- |',
    ...rows(summary).map(([what, figure, required]) => `| ${what} | ${figure} | ${required} |`),
  ];
  if (violations.length > 0) lines.push('', '## Violations', '', ...violations.slice(0, 50).map((violation) => `- ${violation.replace(/\n/g, ' ')}`));
  return `${lines.join('\n')}\n`;
}

function rows(summary: SuiteSummary): Row[] {
  const result: Row[] = [];
  const crash = summary.crashLoop;
  if (crash) {
    const byProcess = Object.entries(crash.killsByProcess).map(([name, kills]) => `${kills} ${name}`).join(', ');
    const rss = Object.entries(crash.peakRssBytes);
    result.push(
      [`Kills survived (SIGKILL + restart; ${crash.storage} storage)`, `${crash.kills} (${byProcess})`, ''],
      ['Log checks (after each restart and at the end)', `${crash.checks}`, ''],
      ['Appends acknowledged', `${crash.appendsAcknowledged} (${crash.eventsAcknowledged} events; log holds ${crash.logLength})`, ''],
      ['Acknowledged appends lost', `${crash.acknowledgedLost}`, '0'],
      ['Acknowledged appends stored twice (duplicates)', `${crash.duplicates}`, '0'],
      ['Offsets renumbered / claimed twice / changed after being read', `${crash.overlaps} / ${crash.unexplainedOffsets} unexplained / ${crash.prefixChanges}`, '0 / 0 / 0'],
      ['Reducer mismatches (sum, product vs the log read back)', `${crash.reducerMismatches}`, '0'],
      ['Unknown-outcome appends (stored / not)', `${crash.unknownOutcomeAppends} (${crash.unknownOutcomeStored} / ${crash.unknownOutcomeAppends - crash.unknownOutcomeStored})`, 'reported'],
      ['Keyed retries (answered duplicate=true)', `${crash.retries} (${crash.duplicateReplies})`, ''],
      ...(crash.storage === 'jetstream'
        ? ([
            ['Appends acknowledged by the other gateway (failovers)', `${crash.failovers}`, ''],
            ['Longest wait for a gateway to show every acknowledged append', `${crash.maxHeadLagMs} ms`, '≤ 30 s'],
            ['Check reads retried after UNAVAILABLE / DEADLINE_EXCEEDED', `${crash.readRetries}`, ''],
          ] as const)
        : []),
      ['expected_next_offset refusals', `${crash.rejectedPreconditions}`, ''],
      [`Crash loop peak RSS ${rss.map(([name]) => name).join(' / ')}`, rss.map(([, bytes]) => mib(bytes)).join(' / '), ''],
    );
  }
  if (summary.faults) {
    const passed = summary.faults.filter((fault) => fault.passed).length;
    result.push(['Storage fault and damaged-file cases passed', `${passed} of ${summary.faults.length}`, 'all']);
  }
  if (summary.hostile) {
    const statuses = Object.entries(summary.hostile.statuses).map(([name, count]) => `${name} ${count}`).join(', ');
    result.push(['Hostile inputs tried over the wire (passed)', `${summary.hostile.inputsTried} (${summary.hostile.passed}): ${statuses}`, 'all passed']);
  }
  if (summary.propertyRuns !== undefined) result.push(['Property-test runs (validators, decoders)', `${summary.propertyRuns}`, 'all passed']);
  const peers = summary.peers;
  if (peers) {
    result.push(
      ['Slow peers: event log RSS before any peer', `${mib(peers.baselineRssBytes)} with ${peers.eventsPreloaded} events stored`, ''],
      ['Slow peers: peak RSS with 7 stuck/slow subscribers lagging', mib(peers.stuckPeakRssBytes), `≤ ${mib(peers.stuckBoundBytes)}`],
      [
        `Slow peers: peak RSS with ${peers.crowdSize} subscribers at once`,
        `${mib(peers.crowdPeakRssBytes)} (${(Math.max(0, peers.crowdPeakRssBytes - peers.baselineRssBytes) / peers.crowdSize / 1024).toFixed(0)} KiB per subscriber)`,
        `≤ 3 MiB per subscriber (${mib(peers.crowdBoundBytes)})`,
      ],
      ['Slow peers: crowd subscribers listed at once', `${peers.crowdListed} of ${peers.crowdSize}`, `${peers.crowdSize}`],
      ['Slow peers: slow reader messages / never-reader lag', `${peers.slowReaderMessages} / ${peers.neverReaderLag} events`, ''],
      ['Half-open connections dropped by keepalive after', peers.halfOpenDetectedAfterMs === undefined ? 'never' : `${(peers.halfOpenDetectedAfterMs / 1000).toFixed(1)} s`, '≤ 90 s'],
      ['Ghost subscriptions after every client left', `${peers.ghostsLeft}`, '0'],
    );
  }
  const soak = summary.soak;
  if (soak) {
    const p99 = soak.p99AppendMsPerMinute.map((ms, minute) => `m${minute + 1} ${ms} ms`).join(', ');
    result.push(
      ['Soak', `${soak.minutes} min, ${soak.appendsAcknowledged} appends (${soak.appendFailures} failed), ${soak.subscriptionsOpened} subscriptions opened and closed`, '0 failed'],
      ['Soak p99 append latency per minute', p99, 'reported'],
    );
    for (const [app, trend] of Object.entries(soak.processes)) {
      result.push([
        `Soak ${app}: RSS median first → last third (peak)`,
        `${mib(trend.rss.firstThirdMedian)} → ${mib(trend.rss.lastThirdMedian)} (${mib(trend.peakRssBytes)})`,
        `≤ ${mib(trend.rss.limit)}`,
      ]);
      result.push([`Soak ${app}: open fds start → end`, `${trend.fdsAtStart} → ${trend.fdsAtEnd}`, `median ≤ ${trend.fds.limit}`]);
    }
  }
  result.push(['Duration', `${(summary.durationMs / 1000).toFixed(0)} s`, '']);
  return result;
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

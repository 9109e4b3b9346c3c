import type { HopProfile, PhaseProfile } from '../system/phase-profile';

function microseconds(us: number): string {
  return us < 10 ? us.toFixed(1) : us.toFixed(0);
}

/** "grpc-js/http2 transport 41 (48%), …": each category's share of the hop's CPU per event. */
function categoriesOf(hop: HopProfile): string {
  return hop.breakdown.categories
    .filter(({ share }) => share >= 0.01)
    .map(({ category, share }) => `${category} ${microseconds(share * hop.cpuUsPerEvent)} (${(share * 100).toFixed(0)}%)`)
    .join(', ');
}

function topOf(hop: HopProfile, count: number): string {
  return hop.breakdown.top
    .slice(0, count)
    .map((f) => `${f.name} ${(f.share * 100).toFixed(1)}%`)
    .join('; ');
}

/** One line per process for the progress output. */
export function formatHopProfiles(profile: PhaseProfile, topCount: number): string[] {
  return profile.hops.map((hop) => `  ${hop.process} ${microseconds(hop.cpuUsPerEvent)} µs/event: ${categoriesOf(hop)} | top: ${topOf(hop, topCount)}`);
}

/**
 * The --profile section: per phase, each process's CPU per event (from
 * /proc), split by category in proportion to the profile's self time, and
 * its busiest functions.
 */
export function renderProfiles(profiles: readonly PhaseProfile[]): string[] {
  if (profiles.length === 0) return [];
  const lines = [
    '## Where the CPU goes, per hop (--profile)',
    '',
    'CPU µs per event from /proc (all threads) split by the share of each category in the V8 profile of the phase alone (main thread, self time, idle left out); ' +
      '"protobuf encode/decode" includes our hand-written wire codecs, "bigint arithmetic" the folds. The profiles are written next to the report\'s profile folder, one folder per phase.',
    '',
  ];
  for (const phase of profiles) {
    lines.push(`### ${phase.phase}`, '', '| process | CPU µs/event | by category, µs/event (share) | busiest functions (share of busy time) |', '|---|---:|---|---|');
    for (const hop of phase.hops) {
      lines.push(`| ${hop.process} | ${microseconds(hop.cpuUsPerEvent)} | ${categoriesOf(hop)} | ${topOf(hop, 5).replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  return lines;
}

import { F, REFERENCE_ROWS, ROWS } from './figures';

function idsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Object.values(value as Record<string, unknown>).flatMap(idsIn);
}

describe('figure catalogue', () => {
  const known = new Set(idsIn(F));

  it('has unique figure ids', () => {
    expect(known.size).toBe(idsIn(F).length);
  });

  it('puts only measured figures in the tables, each target on a row of ours', () => {
    for (const row of ROWS) {
      expect(known.has(row.ours)).toBe(true);
      if (row.limit) expect(known.has(row.limit.id)).toBe(true);
      if (row.peer) expect(known.has(row.peer)).toBe(true);
      if (row.redis) expect(known.has(row.redis)).toBe(true);
      if (row.target?.minShareOfLimit !== undefined) expect(row.limit).toBeDefined();
      if (row.target?.minRatioToPeer !== undefined) expect(row.peer).toBeDefined();
      if (row.target?.minRatioToRedis !== undefined) expect(row.redis).toBeDefined();
    }
    for (const row of REFERENCE_ROWS) expect(known.has(row.id)).toBe(true);
  });

  it('carries every target of issue 5 and the AppendStream targets of issue 12', () => {
    expect(ROWS.filter((row) => row.target).map((row) => row.target?.text)).toEqual([
      '< 5 ms',
      '≥ 30,000/s and ≥ 50% of grpc-js unary',
      '≤ 3 ms',
      '≤ 2 ms',
      '≥ 40,000/s',
      '≥ 1.1× JetStream',
      '≥ 1.5× Redis',
      '≥ 1,000,000/s and ≥ 40% of storage write',
      '≥ 3,000,000/s and ≥ 50% of grpc-js stream',
      '≥ 1,000,000/s',
      '< 1 s',
      '< 150 MB',
      '< 150 MB',
      '< 32 MB',
    ]);
  });
});

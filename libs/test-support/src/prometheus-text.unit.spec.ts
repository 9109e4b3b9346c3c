import { Gauge, Registry } from 'prom-client';
import { parsePrometheusText } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('reads what prom-client writes, including its "Nan" spelling and infinities', async () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'probe_value', help: 'a probe', labelNames: ['kind'], registers: [registry] });
    gauge.set({ kind: 'nan' }, Number.NaN);
    gauge.set({ kind: 'inf' }, Number.POSITIVE_INFINITY);
    gauge.set({ kind: 'quoted "x"\n' }, -2.5);
    const parsed = parsePrometheusText(await registry.metrics());
    const valueOf = (kind: string): number | undefined => parsed.samples.find((sample) => sample.labels['kind'] === kind)?.value;
    expect(valueOf('nan')).toBeNaN();
    expect(valueOf('inf')).toBe(Number.POSITIVE_INFINITY);
    expect(valueOf('quoted "x"\n')).toBe(-2.5);
    expect(parsed.types.get('probe_value')).toBe('gauge');
  });

  it('refuses a value that is not a number, naming the line', () => {
    expect(() => parsePrometheusText('# TYPE x gauge\nx banana\n')).toThrow(/line 2: bad value "banana"/);
  });
});

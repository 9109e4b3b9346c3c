import uPlot from 'uplot';
import type { RateView } from '../view-model';

/** The append rate over the last minutes (uPlot, bundled: no CDN). A gap is a second the log was unreachable. */
export class RateChart {
  private readonly plot: uPlot;

  constructor(container: HTMLElement) {
    this.plot = new uPlot(
      {
        width: Math.max(300, container.clientWidth || 400),
        height: 160,
        scales: { x: { time: true }, y: { range: (_self, _min, max) => [0, Math.max(10, max * 1.1)] } },
        series: [{}, { label: 'events/s', stroke: '#0969da', fill: 'rgba(9,105,218,0.1)', spanGaps: false }],
        axes: [{}, { size: 60 }],
        legend: { show: true },
      },
      [[], []],
      container,
    );
  }

  render(view: RateView): void {
    const count = view.perSecond.length;
    const times = view.perSecond.map((_, index) => (view.lastSecond - (count - 1 - index) * 1000) / 1000);
    this.plot.setData([times, view.perSecond.map((rate) => rate)] as uPlot.AlignedData);
  }
}

/**
 * The Chart.js parts the charts use, registered once (everything else is tree-shaken away), and
 * the hover mode of the time-series panel: the nearest point of every dataset to the pointer's x,
 * so series sampled at different instants all show their value in one tooltip.
 */
import { Chart, Interaction, LineController, LineElement, LinearScale, PointElement, ScatterController, Tooltip } from 'chart.js';
import type { InteractionItem, InteractionModeFunction } from 'chart.js';

declare module 'chart.js' {
  interface InteractionModeMap {
    /** Nearest point by x in each visible dataset. */
    perDataset: InteractionModeFunction;
  }
}

/** Nearest-by-x point per dataset (binary search on the parsed x values, which are sorted). */
const perDataset: InteractionModeFunction = (chart, e) => {
  const items: InteractionItem[] = [];
  if (e.x === null) return items;
  const x = chart.scales.x?.getValueForPixel(e.x);
  if (x === undefined) return items;
  chart.data.datasets.forEach((_, datasetIndex) => {
    const meta = chart.getDatasetMeta(datasetIndex);
    if (!chart.isDatasetVisible(datasetIndex) || meta.data.length === 0) return;
    const data = meta._parsed as { x: number }[];
    let lo = 0;
    let hi = data.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((data[mid] as { x: number }).x < x) lo = mid + 1;
      else hi = mid;
    }
    const prev = lo > 0 ? lo - 1 : lo;
    const index = Math.abs((data[prev] as { x: number }).x - x) < Math.abs((data[lo] as { x: number }).x - x) ? prev : lo;
    const element = meta.data[index];
    if (element) items.push({ element, datasetIndex, index });
  });
  return items;
};

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip);
Interaction.modes.perDataset = perDataset;

/** Chart.js's Chart with this module's parts registered: import it from here, never from chart.js. */
export { Chart };

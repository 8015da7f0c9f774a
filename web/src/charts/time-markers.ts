/**
 * Vertical lines at given times across a time-series chart, each with a short label at the top:
 * the onset, opening and resolution of an incident drawn on every panel of its time axis.
 */
import type { Chart, Plugin } from 'chart.js';

/** One marked instant. */
export interface TimeMarker {
  readonly at: number;
  readonly label: string;
  readonly color: string;
}

/** The plugin; `get` is read at every draw (markers and the label colour). */
export function timeMarkersPlugin(get: () => { markers: readonly TimeMarker[]; fg: string }): Plugin<'line'> {
  return {
    id: 'timeMarkers',
    afterDatasetsDraw(chart: Chart<'line'>) {
      const { markers, fg } = get();
      const x = chart.scales.x;
      if (!x || markers.length === 0) return;
      const { ctx, chartArea: a } = chart;
      ctx.save();
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      let lastRight = Number.NEGATIVE_INFINITY;
      let row = 0;
      for (const m of [...markers].sort((p, q) => p.at - q.at)) {
        const px = x.getPixelForValue(m.at);
        if (px < a.left || px > a.right) continue;
        ctx.strokeStyle = m.color;
        ctx.setLineDash([5, 3]);
        ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(px, a.top); ctx.lineTo(px, a.bottom); ctx.stroke();
        // Labels that would overlap the previous one go one row down.
        const width = ctx.measureText(m.label).width;
        const left = Math.min(px + 3, a.right - width);
        row = left < lastRight + 4 ? row + 1 : 0;
        lastRight = left + width;
        ctx.fillStyle = fg;
        ctx.fillText(m.label, left, a.top + 2 + row * 13);
      }
      ctx.restore();
    },
  };
}

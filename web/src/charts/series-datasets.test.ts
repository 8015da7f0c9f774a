import { describe, expect, it } from 'vitest';
import { axesFor, seriesLabel, toChartSeries } from './series-datasets.ts';
import { OKABE_ITO } from '../theme/palette.ts';

describe('series datasets', () => {
  const response = {
    resolution: 'raw',
    series: [
      { agent: 'a1', name: 'hw.gpu.utilization', labels: { 'hw.id': '0' }, points: [[1000, 0.5], [1500, 0.6]] },
      { agent: 'a1', name: 'hw.gpu.utilization', labels: { 'hw.id': '1' }, points: [[1000, 0.1]] },
      { agent: 'a1', name: 'gen_ai.client.operation.time_to_first_chunk', labels: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.operation.name': 'chat' }, points: [[1200, 0.31]] },
    ],
  } as const;

  it('turns /api/v1/series into labelled, coloured lines with their unit', () => {
    const lines = toChartSeries(response.series);
    expect(lines.map((l) => l.label)).toEqual(['GPU util 0', 'GPU util 1', 'TTFT openai/gpt-4o-mini']);
    expect(lines.map((l) => l.unit)).toEqual(['ratio', 'ratio', 'seconds']);
    expect(lines.map((l) => l.color)).toEqual(OKABE_ITO.slice(0, 3));
    expect(lines[0]?.points).toEqual([[1000, 0.5], [1500, 0.6]]);
    expect(new Set(lines.map((l) => l.id)).size).toBe(3);
  });

  it('names the host only when several agents are shown', () => {
    const two = toChartSeries([{ ...response.series[0], agent: 'a1' }, { ...response.series[0], agent: 'a2' }], new Map([['a1', 'gpu-01']]));
    expect(two.map((l) => l.label)).toEqual(['gpu-01 · GPU util 0', 'a2 · GPU util 0']);
    expect(seriesLabel({ name: 'custom.metric', labels: { zone: 'b' } })).toBe('custom.metric zone=b');
    expect(seriesLabel({ name: 'hw.gpu.temperature', labels: { 'hw.id': 'GPU-1', 'hw.model': 'NVIDIA H100 80GB HBM3' } })).toBe('GPU temp GPU-1');
    expect(seriesLabel({ name: 'system.network.io', labels: { 'network.io.direction': 'receive', 'network.interface.name': 'eth0' } })).toBe('Network eth0/receive');
    expect(seriesLabel({ name: 'sigmascope.inference.requests.waiting', labels: { 'gen_ai.provider.name': 'vllm', 'server.address': '127.0.0.1:8000' } })).toBe('Queued vllm/127.0.0.1:8000');
    expect(seriesLabel({ name: 'hw.gpu.utilization', labels: { 'hw.id': 'GPU-5a8f' } }, undefined, new Map([['GPU-5a8f', 'GPU 0']]))).toBe('GPU util GPU 0');
  });

  it('draws a counter as its per-second rate, named with its host, full series and unit for exports', () => {
    const [rx] = toChartSeries([{ agent: 'a1', name: 'system.network.io', labels: { 'network.interface.name': 'eth0', 'network.io.direction': 'receive' }, points: [[0, 1000], [500, 1500], [1000, 2500]] }], new Map([['a1', 'gpu-01']]));
    expect(rx).toMatchObject({ unit: 'bytesPerSecond', host: 'gpu-01', label: 'Network eth0/receive /s', key: 'system.network.io.rate{network.interface.name="eth0",network.io.direction="receive"}' });
    expect(rx?.points).toEqual([[500, 1000], [1000, 2000]]);
  });

  it('gives each unit its own axis, the first on the left', () => {
    expect(axesFor(toChartSeries(response.series))).toEqual([
      { id: 'y-ratio', unit: 'ratio', position: 'left' },
      { id: 'y-seconds', unit: 'seconds', position: 'right' },
    ]);
  });
});

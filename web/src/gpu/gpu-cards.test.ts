import { describe, expect, it } from 'vitest';
import { gpuCards, gpuTitle } from './gpu-cards.ts';

const p = (name: string, id: string, value: number) => ({ agent: 'a', name, labels: { 'hw.id': id, 'hw.type': 'gpu' }, ts: 1000, value });

describe('gpuCards', () => {
  it('makes one card per GPU with every reported value', () => {
    const cards = gpuCards([
      p('hw.gpu.utilization', '10', 0.1),
      p('hw.gpu.utilization', '2', 0.97),
      p('hw.gpu.memory.usage', '2', 40 * 2 ** 30),
      p('hw.gpu.memory.limit', '2', 80 * 2 ** 30),
      p('hw.gpu.temperature', '2', 71),
      p('hw.gpu.power.draw', '2', 650),
      p('hw.gpu.clock.graphics', '2', 1.98e9),
      p('system.cpu.utilization', '2', 0.5),
    ]);
    expect(cards.map((c) => c.id)).toEqual(['2', '10']);
    expect(cards[0]).toMatchObject({ util: 0.97, memUtil: 0.5, temperature: 71, power: 650, clockGraphics: 1.98e9, clockMemory: null });
    expect(cards[1]).toMatchObject({ util: 0.1, memUsed: null, memUtil: null });
  });

  it('names a GPU as people do, "GPU 0 · H100 80GB", ordered by that number, the uuid kept as the id', () => {
    const l = (uuid: string) => ({ 'hw.id': uuid, 'hw.model': 'NVIDIA H100 80GB HBM3' });
    const cards = gpuCards([
      { agent: 'a', name: 'hw.gpu.utilization', labels: l('GPU-b'), ts: 1, value: 0.5 },
      { agent: 'a', name: 'sigmascope.gpu.index', labels: l('GPU-b'), ts: 1, value: 1 },
      { agent: 'a', name: 'hw.gpu.utilization', labels: l('GPU-a'), ts: 1, value: 0.2 },
      { agent: 'a', name: 'sigmascope.gpu.index', labels: l('GPU-a'), ts: 1, value: 0 },
    ]);
    expect(cards.map((c) => [c.title, c.id])).toEqual([['GPU 0 · H100 80GB', 'GPU-a'], ['GPU 1 · H100 80GB', 'GPU-b']]);
    expect(gpuTitle(null, 'NVIDIA A100-SXM4-80GB')).toBe('GPU · A100-SXM4-80GB');
    expect(gpuTitle(3, null)).toBe('GPU 3');
  });
});

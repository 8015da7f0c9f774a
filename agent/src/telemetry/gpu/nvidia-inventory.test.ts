/**
 * The inventory parser on every `nvidia-smi -q -x` capture, read the way node-nvidia-smi reads it
 * (xml2js, explicitArray false, trim true): one GPU comes as an object, several as an array.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../tests/support/fixtures.ts';
import { bytesFromText, inventoryFromRows, inventoryFromXml } from './nvidia-inventory.ts';
import type { NvidiaInventory } from './nvidia-inventory.ts';
import { parseQueryLine, QUERY_FIELDS } from './nvidia-query.ts';

type ParseString = (xml: string, options: object, cb: (err: unknown, data: unknown) => void) => void;
const { parseString } = createRequire(import.meta.url)('xml2js') as { parseString: ParseString };

/** What node-nvidia-smi hands to its callback for this XML. */
function asNodeNvidiaSmi(xml: string): Promise<unknown> {
  return new Promise((resolve, reject) => parseString(xml, { explicitArray: false, trim: true }, (err, data) => (err ? reject(err) : resolve(data))));
}

const MIB = 1048576;
const XML: Record<string, { driver: string; cuda: string; attached: number; gpus: { uuid: string; name: string; busId: string; mib: number; mig: string | null }[] }> = {
  'telegraf__a100-sxm4-v12.xml': { driver: '535.54.03', cuda: '12.2', attached: 4, gpus: [{ uuid: 'GPU-513536b6-7d19-9063-b049-1e69664bb298', name: 'NVIDIA A100-SXM4-80GB', busId: '00000000:01:00.0', mib: 81920, mig: 'Enabled' }] },
  'telegraf__a10g.xml': { driver: '515.105.01', cuda: '11.7', attached: 1, gpus: [{ uuid: 'GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94', name: 'NVIDIA A10G', busId: '00000000:00:1E.0', mib: 23028, mig: null }] },
  'telegraf__dual_a5000-v13.xml': {
    driver: '590.44.01', cuda: '13.1', attached: 2,
    gpus: [
      { uuid: 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab', name: 'NVIDIA RTX A5000', busId: '00000000:81:00.0', mib: 24564, mig: null },
      { uuid: 'GPU-12345678-aaaa-bbbb-cccc-0123456789cd', name: 'NVIDIA RTX A5000', busId: '00000000:C1:00.0', mib: 24564, mig: null },
    ],
  },
  'telegraf__pro-6000-maxq-blackwell-v13.xml': { driver: '590.44.01', cuda: '13.1', attached: 1, gpus: [{ uuid: 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab', name: 'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition', busId: '00000000:61:00.0', mib: 97887, mig: null }] },
  'telegraf__quadro-p2000-v12.xml': { driver: '525.125.06', cuda: '12.0', attached: 1, gpus: [{ uuid: 'GPU-396caaed-39ca-3199-2e68-717cdb786ec6', name: 'Quadro P2000', busId: '00000000:17:00.0', mib: 5120, mig: null }] },
  'telegraf__rtx-3080-v12.xml': { driver: '536.40', cuda: '12.2', attached: 1, gpus: [{ uuid: 'GPU-19d6d965-2acc-f646-00f8-4c76979aabb4', name: 'NVIDIA GeForce RTX 3080', busId: '00000000:04:00.0', mib: 10240, mig: null }] },
  'telegraf__rtx-4000-sff-ada-v13.xml': { driver: '595.84', cuda: '13.2', attached: 1, gpus: [{ uuid: 'GPU-37037c3f-65c8-ec4d-24a9-420204ad8026', name: 'NVIDIA RTX 4000 SFF Ada Generation', busId: '00000000:06:00.0', mib: 20475, mig: null }] },
  'telegraf__tesla-t4.xml': { driver: '515.105.01', cuda: '11.7', attached: 1, gpus: [{ uuid: 'GPU-d37e67a5-91dd-3774-a5cb-99096249601a', name: 'Tesla T4', busId: '00000000:00:1E.0', mib: 15360, mig: null }] },
};

describe('GPU inventory from nvidia-smi -q -x', () => {
  it('covers every XML capture in the fixtures', () => {
    expect(readdirSync(fixture('nvidia-smi', 'xml')).sort()).toEqual(Object.keys(XML).sort());
  });

  for (const [file, want] of Object.entries(XML)) {
    it(`${file}: driver, every GPU's uuid, name, bus id, memory and MIG mode`, async () => {
      const inv = inventoryFromXml(await asNodeNvidiaSmi(readFileSync(fixture('nvidia-smi', 'xml', file), 'utf8'))) as NvidiaInventory;
      expect(inv).not.toBeNull();
      expect(inv.driverVersion).toBe(want.driver);
      expect(inv.cudaVersion).toBe(want.cuda);
      expect(inv.attachedGpus).toBe(want.attached);
      expect(inv.gpus.map((g) => ({ uuid: g.uuid, name: g.name, busId: g.busId, mib: (g.memoryTotalBytes ?? 0) / MIB, mig: g.migMode }))).toEqual(want.gpus);
      expect(inv.gpus.map((g) => g.index)).toEqual(want.gpus.map((_, i) => i));
    });
  }

  it('lists the A100’s four MIG instances though attached_gpus (4) disagrees with the one <gpu> present', async () => {
    const inv = inventoryFromXml(await asNodeNvidiaSmi(readFileSync(fixture('nvidia-smi', 'xml', 'telegraf__a100-sxm4-v12.xml'), 'utf8')));
    expect(inv?.gpus).toHaveLength(1);
    expect(inv?.gpus[0]?.migDevices).toEqual([3, 4, 5, 6].map((gi, i) => ({ index: i, gpuInstanceId: gi, computeInstanceId: 0, memoryTotalBytes: 19968 * MIB })));
  });

  it('refuses what is not nvidia-smi XML, and reads units', () => {
    expect(inventoryFromXml(null)).toBeNull();
    expect(inventoryFromXml({ something: 'else' })).toBeNull();
    expect(bytesFromText('12 MiB')).toBe(12 * MIB);
    expect(bytesFromText('N/A')).toBeNull();
    expect(bytesFromText('12 %')).toBeNull();
  });
});

describe('GPU inventory from the query rows', () => {
  it('orders GPUs by index and converts memory', () => {
    const line = (i: number): string => `${i}, GPU-a-${i}, NVIDIA H100 80GB HBM3, 00000000:0${i}:00.0, Enabled, [N/A], 59, 81559, 42, 71.15, 345, 2619, 0, 0`;
    const rows = [2, 0, 1].map((i) => parseQueryLine(line(i), QUERY_FIELDS)).filter((r) => r !== null);
    const inv = inventoryFromRows(rows);
    expect(inv.gpus.map((g) => [g.index, g.uuid, g.migMode, g.memoryTotalBytes])).toEqual([0, 1, 2].map((i) => [i, `GPU-a-${i}`, 'Enabled', 81559 * MIB]));
  });
});

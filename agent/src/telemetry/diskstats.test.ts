import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isWholeDisk, parseDiskstats } from './diskstats.ts';

describe('/proc/diskstats', () => {
  it('reports the whole disk of the capture in bytes (512-byte sectors), not loop or zram devices', () => {
    const a = parseDiskstats(readFileSync(new URL('./testdata/proc-a/diskstats', import.meta.url), 'latin1'));
    const b = parseDiskstats(readFileSync(new URL('./testdata/proc-b/diskstats', import.meta.url), 'latin1'));
    // vda: sectors read 5971154 → 5971242, written 2703064 → 2703096.
    expect(a).toEqual([{ device: 'vda', read: 5971154 * 512, write: 2703064 * 512 }]);
    expect(b).toEqual([{ device: 'vda', read: 5971242 * 512, write: 2703096 * 512 }]);
  });

  it('tells whole disks from partitions and stacked or virtual devices', () => {
    const disks = ['sda', 'sdb', 'vda', 'xvda', 'hda', 'nvme0n1', 'nvme12n3', 'mmcblk0', 'sdaa'];
    const notDisks = ['sda1', 'vda15', 'xvda1', 'nvme0n1p1', 'nvme12n3p14', 'mmcblk0p2', 'loop0', 'ram0', 'zram0', 'sr0', 'fd0', 'nbd0', 'dm-0', 'md127'];
    expect(disks.filter((d) => !isWholeDisk(d))).toEqual([]);
    expect(notDisks.filter(isWholeDisk)).toEqual([]);
  });
});

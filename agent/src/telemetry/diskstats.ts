/**
 * Parsing of /proc/diskstats: cumulative bytes read and written per whole disk. Pure.
 *
 * Only whole physical disks are reported. Partitions (`sda1`, `nvme0n1p2`, `mmcblk0p1`) would
 * count the same bytes twice, and so would the stacked devices built on top of disks (device
 * mapper / LVM `dm-*`, software RAID `md*`); loop, RAM, zram, optical, floppy and network block
 * devices are not disks. diskstats counts in 512-byte sectors whatever the hardware sector size.
 */

/** Cumulative byte counters of one disk since boot. */
export interface DiskBytes {
  readonly device: string;
  readonly read: number;
  readonly write: number;
}

const SECTOR_BYTES = 512;
const NOT_A_DISK = /^(loop|ram|zram|sr|fd|nbd|dm-|md)/;
const PARTITION = [
  /^(sd|hd|vd|xvd)[a-z]+\d+$/, // sda1, vdb2, xvda1
  /^(nvme\d+n\d+|mmcblk\d+)p\d+$/, // nvme0n1p1, mmcblk0p1
];

/** Whether a block device name denotes a whole physical disk (see the file comment). */
export function isWholeDisk(name: string): boolean {
  if (NOT_A_DISK.test(name)) return false;
  return !PARTITION.some((p) => p.test(name));
}

/** Parses /proc/diskstats. Lines with fewer than the 14 classic fields are ignored. */
export function parseDiskstats(text: string): DiskBytes[] {
  const out: DiskBytes[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14) continue;
    const device = f[2] as string;
    if (!isWholeDisk(device)) continue;
    const sectorsRead = Number(f[5]);
    const sectorsWritten = Number(f[9]);
    if (Number.isFinite(sectorsRead) && Number.isFinite(sectorsWritten)) {
      out.push({ device, read: sectorsRead * SECTOR_BYTES, write: sectorsWritten * SECTOR_BYTES });
    }
  }
  return out;
}

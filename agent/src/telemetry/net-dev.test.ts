import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isReportedInterface, parseNetDev } from './net-dev.ts';

describe('/proc/net/dev', () => {
  it('reads cumulative receive/transmit bytes of every interface but loopback', () => {
    const text = readFileSync(new URL('./testdata/proc-a/net/dev', import.meta.url), 'latin1');
    expect(parseNetDev(text)).toEqual([
      { name: 'ifb0', receive: 0, transmit: 0 },
      { name: 'ifb1', receive: 0, transmit: 0 },
      { name: 'eth0', receive: 322422602, transmit: 569855 },
    ]);
  });

  it('leaves out per-container virtual links', () => {
    expect(['lo', 'veth1a2b3c', 'cali12345', 'lxc0'].filter(isReportedInterface)).toEqual([]);
    expect(['eth0', 'ens5', 'enp1s0f0', 'bond0', 'ib0', 'docker0', 'wlan0'].every(isReportedInterface)).toBe(true);
  });
});

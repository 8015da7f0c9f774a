// The series of one 2 Hz tick of an 8-GPU host as the agent seals them (99 with 8 GPUs: CPU
// modes, memory, network, disks, load and nine GPU metrics per GPU), for the benches' frames.

/** `series` is the protocol's series() (the benches bundle it); `gpus` GPUs of nine metrics each. */
export function hostTickSeries(series, gpus = 8) {
  const s = [];
  for (const state of ['user', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal']) s.push(series('system.cpu.utilization', { 'cpu.mode': state }));
  for (const state of ['used', 'free', 'cached', 'buffered']) s.push(series('system.memory.usage', { 'system.memory.state': state }));
  s.push(series('system.memory.utilization'));
  for (const dev of ['eth0', 'eth1', 'ib0', 'ib1']) for (const dir of ['receive', 'transmit']) s.push(series('system.network.io', { 'network.interface.name': dev, 'network.io.direction': dir }));
  for (const dev of ['nvme0n1', 'nvme1n1']) for (const dir of ['read', 'write']) s.push(series('system.disk.io', { 'system.device': dev, 'disk.io.direction': dir }));
  for (const w of ['1m', '5m', '15m']) s.push(series('system.cpu.load_average', { window: w }));
  for (let g = 0; g < gpus; g++) {
    const id = `GPU-${String(g).padStart(2, '0')}1f7c2a-9d3e-4b6f-8a1c-${String(g).padStart(12, '0')}`;
    for (const m of ['hw.gpu.utilization', 'hw.gpu.memory.usage', 'hw.gpu.memory.limit', 'hw.gpu.memory.utilization', 'hw.gpu.temperature', 'hw.gpu.power.draw', 'hw.gpu.clock.graphics', 'hw.gpu.clock.memory', 'hw.errors']) {
      s.push(series(m, { 'hw.id': id, 'hw.type': 'gpu' }));
    }
  }
  return s;
}

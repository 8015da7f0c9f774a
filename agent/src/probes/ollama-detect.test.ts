import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProviderEmulator } from '../../../tests/support/provider-emulator.ts';
import type { Emulator } from '../../../tests/support/provider-emulator.ts';
import { detectLocalOllama } from './ollama-detect.ts';

let emu: Emulator;
beforeAll(async () => (emu = await startProviderEmulator()));
afterAll(async () => emu.close());

describe('local Ollama detection', () => {
  it('lists the installed models, smallest first; null when nothing answers like an Ollama', async () => {
    const base = emu.add({ kind: 'static', contentType: 'application/json', body: JSON.stringify({ models: [{ name: 'llama3.1:8b', size: 4_900_000_000 }, { name: 'llama3.2:1b', size: 1_300_000_000 }] }) });
    expect(await detectLocalOllama(base)).toEqual(['llama3.2:1b', 'llama3.1:8b']);
    expect(await detectLocalOllama(emu.add({ kind: 'static', body: '<html>hi</html>' }))).toBeNull();
    expect(await detectLocalOllama('http://127.0.0.1:1', 300)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { AuthFailures } from './auth-failures.ts';

describe('AuthFailures', () => {
  it('blocks an address past the limit, except for a token that succeeded from it before', () => {
    const f = new AuthFailures(3, 60_000);
    f.succeeded('10.0.0.1', 'known', 0);
    for (let i = 0; i < 3; i++) f.record('10.0.0.1', 1_000 + i);
    expect(f.blocked('10.0.0.1', null, 2_000)).toBe(true);
    expect(f.blocked('10.0.0.1', 'guess', 2_000)).toBe(true);
    expect(f.blocked('10.0.0.1', 'known', 2_000)).toBe(false);
    expect(f.blocked('10.0.0.2', 'guess', 2_000)).toBe(false);
    // The window slides: a minute later the address is free again.
    expect(f.blocked('10.0.0.1', 'guess', 62_003)).toBe(false);
  });

  it('forgets the address touched longest ago past its bound, never all of them at once', () => {
    const f = new AuthFailures(2, 60_000, 1_000);
    f.record('guesser', 0);
    f.record('guesser', 1);
    for (let i = 0; i < 999; i++) f.record(`a${i}`, 10);
    // The guesser keeps guessing: it moves to the newest end.
    f.record('guesser', 20);
    for (let i = 999; i < 1_500; i++) f.record(`a${i}`, 30);
    expect(f.size).toBe(1_000);
    expect(f.blocked('guesser', null, 40)).toBe(true);
    expect(f.blocked('a1499', null, 40)).toBe(false);
  });
});

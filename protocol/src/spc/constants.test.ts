import { describe, expect, it } from 'vitest';
import { c4, chartConstants, d2, d3 } from './constants.ts';

// Φ and φ for the integrals below (Abramowitz–Stegun 7.1.26 is too coarse; use erfc by series/continued fraction).
function phi(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
function Phi(x: number): number {
  // Integrate φ from 0 with Simpson's rule: plenty for 1e-9 on |x| ≤ 9.
  const n = 200;
  const h = x / n;
  let s = phi(0) + phi(x);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * phi(i * h);
  return 0.5 + (s * h) / 3;
}

/** d2(n) = ∫ 1 − Φ(x)^n − (1 − Φ(x))^n dx: the expected range of n standard normals. */
function d2ByIntegration(n: number): number {
  const h = 0.01;
  let s = 0;
  for (let x = -9; x <= 9; x += h) {
    const p = Phi(x);
    s += (1 - p ** n - (1 - p) ** n) * h;
  }
  return s;
}

/** d3(n) = SD of the range: E[R²] = 2∫ w·P(R > w) dw with P(R ≤ w) = n∫ φ(x)(Φ(x+w) − Φ(x))^(n−1) dx. */
function d3ByIntegration(n: number): number {
  const h = 0.02;
  const xs = 700; // x from -7 to 7
  const ws = 600; // w from 0 to 12
  const cdf: number[] = [];
  for (let j = 0; j <= xs + ws; j++) cdf.push(Phi(-7 + j * h));
  let eR = 0;
  let eR2 = 0;
  for (let k = 0; k <= ws; k++) {
    let F = 0;
    for (let i = 0; i <= xs; i++) F += phi(-7 + i * h) * ((cdf[i + k] as number) - (cdf[i] as number)) ** (n - 1) * h;
    const tail = 1 - n * F;
    const weight = k === 0 ? 0.5 : 1;
    eR += weight * tail * h;
    eR2 += weight * 2 * k * h * tail * h;
  }
  return Math.sqrt(eR2 - eR * eR);
}

describe('control chart constants', () => {
  it('d2 agrees with the expected range of n normals (integrated here) to the table precision', () => {
    for (let n = 2; n <= 25; n++) expect(Math.abs(d2(n) - d2ByIntegration(n))).toBeLessThan(5e-4);
  });

  it('d2 for n = 2..5 agrees with the closed forms', () => {
    const exact = [2 / Math.sqrt(Math.PI), 3 / Math.sqrt(Math.PI), (12 / (Math.PI * Math.sqrt(Math.PI))) * Math.atan(Math.sqrt(2)), (30 / Math.PI ** 1.5) * Math.atan(Math.sqrt(2)) - 5 / Math.sqrt(Math.PI)];
    exact.forEach((v, i) => expect(d2(i + 2)).toBeCloseTo(v, 3));
  });

  it('d3 agrees with the SD of the range (integrated here) and the closed form for n = 2', () => {
    // qcc tabulates d3 to about 1e-6 (0.8525033 against the exact 0.8525025).
    expect(d3(2)).toBeCloseTo(Math.sqrt(2 - 4 / Math.PI), 5);
    for (const n of [3, 5, 10, 25]) expect(Math.abs(d3(n) - d3ByIntegration(n))).toBeLessThan(5e-4);
  });

  it('c4 is exact: closed forms and qcc’s tabulated values', () => {
    expect(c4(2)).toBeCloseTo(Math.sqrt(2 / Math.PI), 12);
    expect(c4(3)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
    // qcc:::qcc.c4(c(4, 5, 10, 25)), as tabulated in qcc's tests/testthat/test-constants.R
    expect(c4(4)).toBeCloseTo(0.9213177, 7);
    expect(c4(5)).toBeCloseTo(0.9399856, 7);
    expect(c4(10)).toBeCloseTo(0.9726593, 7);
    expect(c4(25)).toBeCloseTo(0.9896404, 7);
  });

  it('derived factors match the textbook table (Montgomery, Appendix VI) to 3 decimals', () => {
    const n5 = chartConstants(5);
    expect(n5?.A2).toBeCloseTo(0.577, 3);
    expect(n5?.A3).toBeCloseTo(1.427, 3);
    expect(n5?.D3).toBe(0);
    expect(n5?.D4).toBeCloseTo(2.114, 3);
    expect(n5?.B3).toBe(0);
    expect(n5?.B4).toBeCloseTo(2.089, 3);
    const n10 = chartConstants(10);
    expect(n10?.A2).toBeCloseTo(0.308, 3);
    expect(n10?.D3).toBeCloseTo(0.223, 3);
    expect(n10?.D4).toBeCloseTo(1.777, 3);
    expect(n10?.B3).toBeCloseTo(0.284, 3);
    expect(n10?.B4).toBeCloseTo(1.716, 3);
  });

  it('sizes outside 2..25 have no constants', () => {
    expect(chartConstants(1)).toBeUndefined();
    expect(chartConstants(26)).toBeUndefined();
    expect(chartConstants(2.5)).toBeUndefined();
    expect(d2(26)).toBeNaN();
  });
});

import { createHash } from 'node:crypto';

// Every "random" choice in the demo comes from a seed named after what it decides, so a rerun makes the same
// choices and writes the same rows (which is what makes reseeding add nothing).

/** A number in [0, 1) fixed by the parts: the same parts always give the same number. */
export function chance(...parts: Array<string | number>): number {
  const digest = createHash('sha1').update(parts.join('|')).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** A whole number in [min, max], fixed by the parts. */
export function pick(min: number, max: number, ...parts: Array<string | number>): number {
  return min + Math.floor(chance(...parts) * (max - min + 1));
}

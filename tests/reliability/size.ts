/**
 * How hard the reliability suite works: `QUARRY_RELIABILITY=full` (npm run test:reliability) runs
 * the figures RELIABILITY.md records; anything else is the shortened run inside `npm test`.
 */
export const FULL = process.env.QUARRY_RELIABILITY === 'full'

/** A figure for the full run, or the shortened one. */
export function size(full: number, short: number): number {
  return FULL ? full : short
}

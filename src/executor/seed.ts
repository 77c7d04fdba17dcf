/**
 * The one seed-drawing function of every host (CLI, worker, sweep, page): a
 * fresh uint32 from the platform's `crypto.getRandomValues` (browsers, Web
 * Workers, Node ≥ 19). A stochastic run the user did not seed gets one, and
 * validate writes it into `record.parameters`, so the run replays.
 */

export function drawSeed(): number {
  const a = new Uint32Array(1);
  globalThis.crypto.getRandomValues(a);
  return a[0];
}

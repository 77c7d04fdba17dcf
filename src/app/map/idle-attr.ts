/**
 * A map element's `data-idle` (tests and the fluidity bench wait for busy → idle), set on the
 * element at once rather than through React state: a state update to busy and the map's next
 * 'idle' (MapLibre draws in the next animation frame, which can come before React's scheduled
 * render) would land in one render, the attribute would never show busy, and a waiter for the
 * change would wait forever.
 */
export function markIdle(el: HTMLElement | null | undefined, idle: boolean): void {
  el?.setAttribute('data-idle', idle ? 'true' : 'false');
}

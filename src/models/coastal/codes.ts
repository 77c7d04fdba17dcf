/**
 * BR-MANGUE codes and the small numeric helpers shared by the coastal models
 * (`flood_benchmark` and `brmangue`), raster and vector.
 *
 * Land use `uso`: 1 mangrove, 2 terrestrial vegetation, 3 sea, 4 anthropised
 * area, 5 bare soil, 6 flooded soil, 7 flooded anthropised area, 8 migrated
 * mangrove, 9 flooded mangrove, 10 flooded terrestrial vegetation.
 * Soil `solo`: 0 river channel, 1 river bed, 2 podzolic, 3 mangrove, 4 other,
 * 9 migrated mangrove.
 */

export const USO = {
  MANGUE: 1,
  VEGETACAO_TERRESTRE: 2,
  MAR: 3,
  AREA_ANTROPIZADA: 4,
  SOLO_DESCOBERTO: 5,
  SOLO_INUNDADO: 6,
  AREA_ANTROPIZADA_INUNDADA: 7,
  MANGUE_MIGRADO: 8,
  MANGUE_INUNDADO: 9,
  VEG_TERRESTRE_INUNDADA: 10,
} as const;

export const SOLO = {
  CANAL_FLUVIAL: 0,
  LEITO_RIO: 1,
  PODZOLICO: 2,
  MANGUE: 3,
  OUTROS: 4,
  MANGUE_MIGRADO: 9,
} as const;

export const USO_LABELS: Record<number, string> = {
  1: 'mangrove',
  2: 'terrestrial vegetation',
  3: 'sea',
  4: 'anthropised area',
  5: 'bare soil',
  6: 'flooded soil',
  7: 'flooded anthropised area',
  8: 'migrated mangrove',
  9: 'flooded mangrove',
  10: 'flooded terrestrial vegetation',
};

/** DisSModel / BR-MANGUE display colours of the land-use codes (USO_COLORS). */
export const USO_COLORS: Record<number, string> = {
  1: '#006400',
  2: '#808000',
  3: '#00008b',
  4: '#ffd700',
  5: '#ffdead',
  6: '#000000',
  7: '#323232',
  8: '#00ff00',
  9: '#ff0000',
  10: '#000000',
};

export const SOLO_LABELS: Record<number, string> = {
  0: 'river channel',
  1: 'river bed',
  2: 'podzolic',
  3: 'mangrove',
  4: 'other',
  9: 'migrated mangrove',
};

/** USOS_INUNDADOS = [3, 6, 7, 9, 10]: sea or flooded (flood sources when alt ≥ 0). */
export const USOS_INUNDADOS: readonly number[] = [3, 6, 7, 9, 10];
/** REGRAS_INUNDACAO: dry use → its flooded code. */
export const REGRAS_INUNDACAO: Readonly<Record<number, number>> = { 1: 9, 8: 9, 2: 10, 4: 7, 5: 6 };

/**
 * Lookup tables indexed by `code & 0xffff` (any int16 code, negative ones wrap
 * to entries that are 0): INUND_LUT[c] = 1 when c is sea/flooded; WET_LUT[c] =
 * the flooded code of a dry use, else 0.
 */
export const INUND_LUT = new Uint8Array(65536);
export const WET_LUT = new Uint8Array(65536);
/** FLOODED_LUT[c] = 1 for flooded land (flooded but not sea): what `flooded_cells` counts. */
export const FLOODED_LUT = new Uint8Array(65536);
for (const c of USOS_INUNDADOS) {
  INUND_LUT[c] = 1;
  if (c !== 3) FLOODED_LUT[c] = 1;
}
for (const [dry, wet] of Object.entries(REGRAS_INUNDACAO)) WET_LUT[Number(dry)] = wet;

/**
 * Python's `round(x, digits)` for the values the models report: the exact
 * binary value rounded to `digits` decimals, exact ties to even.
 */
export function roundHalfEven(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const fixed = x.toFixed(digits); // exact value, ties away from zero
  const exact = x.toFixed(Math.min(100, digits + 30));
  const tail = exact.slice(exact.indexOf('.') + 1 + digits);
  if (/^50*$/.test(tail)) {
    // an exact tie: keep the truncated value if its last digit is even
    const truncated = exact.slice(0, exact.indexOf('.') + 1 + digits);
    const last = Number(truncated[truncated.length - 1]);
    if (last % 2 === 0) return Number(truncated);
  }
  return Number(fixed);
}

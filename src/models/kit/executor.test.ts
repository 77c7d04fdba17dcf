import { describe, expect, it } from 'vitest';
import { outputPathForKind } from './executor.ts';

describe('output file naming', () => {
  it('follows the kind of output produced', () => {
    expect(outputPathForKind('out/gol_1a2b3c4d.tif', 'geojson')).toBe('out/gol_1a2b3c4d.geojson');
    expect(outputPathForKind('out/x.geojson', 'tif')).toBe('out/x.tif');
    expect(outputPathForKind('out/x.tiff', 'tif')).toBe('out/x.tiff');
    expect(outputPathForKind('out/x.json', 'geojson')).toBe('out/x.json');
    expect(outputPathForKind('out/x.dat', 'tif')).toBe('out/x.dat');
    expect(outputPathForKind(null, 'tif')).toBeNull();
  });
});

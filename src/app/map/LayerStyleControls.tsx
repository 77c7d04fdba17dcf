/** Map toolbar controls for the layer's opacity and the colour of nodata cells. */
import { useId } from 'react';
import { useLayerStyle } from './layer-style.ts';

export function LayerStyleControls({ raster }: { raster: boolean }) {
  const { opacity, nodataColor, setOpacity, setNodataColor } = useLayerStyle();
  const id = useId();
  return (
    <span className="toolbar-field layer-style">
      <label htmlFor={`${id}-op`}>Opacity</label>
      <input
        id={`${id}-op`}
        type="range"
        min={0}
        max={100}
        step={5}
        value={Math.round(opacity * 100)}
        data-testid="layer-opacity"
        aria-valuetext={`${Math.round(opacity * 100)}%`}
        onChange={(e) => setOpacity(Number(e.target.value) / 100)}
      />
      {raster && (
        <>
          <label className="check small" title="Colour the nodata cells instead of leaving them transparent">
            <input
              type="checkbox"
              checked={nodataColor !== null}
              data-testid="nodata-toggle"
              onChange={(e) => setNodataColor(e.target.checked ? '#ff00ff' : null)}
            />
            <span>nodata</span>
          </label>
          {nodataColor !== null && (
            <input
              type="color"
              value={nodataColor}
              aria-label="Colour of nodata cells"
              data-testid="nodata-color"
              onChange={(e) => setNodataColor(e.target.value)}
            />
          )}
        </>
      )}
    </span>
  );
}

/**
 * Whether the basemap's tiles load: a basemap switched on without network (or
 * blocked) fails tile by tile, silently in MapLibre — this turns those errors
 * into one notice on the map, cleared when a tile loads or the setting changes.
 */
import { useEffect, useState, type RefObject } from 'react';
import type { Map as MlMap, MapSourceDataEvent } from 'maplibre-gl';

export function useBasemapStatus(mapRef: RefObject<MlMap | null>, ready: boolean, enabled: boolean, url: string): string | null {
  const [failed, setFailed] = useState<{ url: string; count: number } | null>(null);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !enabled) return;
    let count = 0;
    const onError = (e: { sourceId?: string; error?: { message?: string } }) => {
      if (e.sourceId !== 'basemap') return;
      count++;
      setFailed({ url, count });
    };
    const onData = (e: MapSourceDataEvent) => {
      if (e.sourceId === 'basemap' && e.tile && count > 0) {
        count = 0;
        setFailed(null);
      }
    };
    map.on('error', onError);
    map.on('sourcedata', onData);
    return () => {
      map.off('error', onError);
      map.off('sourcedata', onData);
    };
  }, [mapRef, ready, enabled, url]);
  if (!enabled || !failed || failed.url !== url) return null;
  return `The basemap's tiles could not be loaded (${failed.count} failed): the page may be offline, or ${new URL(url.replace(/[{}]/g, ''), 'http://x/').host || 'the tile server'} refuses them. The data layers are not affected; switch the basemap off in the settings.`;
}

/** Header settings: the optional basemap (raster tile URL template), off by default; the server for "Run on server". */
import { useEffect, useId, useRef, useState } from 'react';
import { ServerSettings } from '../server/ServerSettings.tsx';
import { DEFAULT_BASEMAP, useWorkbench } from '../store.ts';

export function SettingsMenu() {
  const [open, setOpen] = useState(false);
  const basemap = useWorkbench((s) => s.basemap);
  const setBasemap = useWorkbench((s) => s.setBasemap);
  const [url, setUrl] = useState(basemap.url);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onDown = (e: MouseEvent) => {
      if (panel.current && !panel.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [open]);

  const apply = (enabled: boolean) => {
    const u = url.trim();
    if (enabled && !/^https?:\/\/.+\{z\}.*\{x\}.*\{y\}/.test(u)) {
      setError('Give an http(s) raster tile template with {z}, {x} and {y}.');
      return;
    }
    setError(null);
    setBasemap({ enabled, url: u });
  };

  return (
    <div className="settings" ref={panel}>
      <button
        type="button"
        className="btn btn-ghost"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen(!open)}
        data-testid="settings-button"
      >
        Basemap: {basemap.enabled ? 'on' : 'off'}
      </button>
      {open && (
        <div id={`${id}-panel`} className="settings-panel" role="dialog" aria-label="Basemap settings">
          <p className="small muted">
            The workbench works offline. A basemap loads map tiles from the address below (a network request per tile).
          </p>
          <label className="field-label" htmlFor={`${id}-url`}>
            Raster tile URL template
          </label>
          <input id={`${id}-url`} className="input mono" value={url} onChange={(e) => setUrl(e.target.value)} />
          {error && (
            <p className="field-error small" role="alert">
              {error}
            </p>
          )}
          <div className="settings-actions">
            <label className="check">
              <input type="checkbox" checked={basemap.enabled} onChange={(e) => apply(e.target.checked)} data-testid="basemap-toggle" />
              <span>Show basemap</span>
            </label>
            <button type="button" className="btn btn-small" onClick={() => apply(basemap.enabled)}>
              Apply
            </button>
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={() => {
                setUrl(DEFAULT_BASEMAP.url);
                setBasemap({ url: DEFAULT_BASEMAP.url, attribution: DEFAULT_BASEMAP.attribution });
              }}
            >
              Reset
            </button>
          </div>
          <ServerSettings />
        </div>
      )}
    </div>
  );
}

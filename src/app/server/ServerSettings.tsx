/** Settings → Server: the platform's URL and API key for "Run on server" (kept in this page's local storage only). */
import { useId, useState } from 'react';
import { serverUrlProblem, useServerSettings } from './settings.ts';

export function ServerSettings() {
  const saved = useServerSettings();
  const [url, setUrl] = useState(saved.url);
  const [key, setKey] = useState(saved.apiKey);
  const [message, setMessage] = useState<string | null>(null);
  const id = useId();
  const apply = () => {
    const problem = url.trim() ? serverUrlProblem(url) : null;
    if (problem) {
      setMessage(problem);
      return;
    }
    saved.save({ url: url.trim(), apiKey: key });
    setMessage(url.trim() ? 'Saved in this browser only; never put in links, records or the history.' : 'Server removed.');
  };
  return (
    <div className="server-settings" data-testid="server-settings">
      <h4 className="field-label">Server (Run on server)</h4>
      <label className="field-label small" htmlFor={`${id}-url`}>
        URL of a dissmodel serve or DisSModel Platform API
      </label>
      <input
        id={`${id}-url`}
        className="input mono"
        placeholder="https://dissmodel.example.org"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        data-testid="server-url"
      />
      <label className="field-label small" htmlFor={`${id}-key`}>
        API key (X-API-Key)
      </label>
      <input
        id={`${id}-key`}
        className="input mono"
        type="password"
        autoComplete="off"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        data-testid="server-key"
      />
      <div className="settings-actions">
        <button type="button" className="btn btn-small" onClick={apply} data-testid="server-save">
          Save
        </button>
      </div>
      {message && (
        <p className="small muted" role="status" data-testid="server-settings-message">
          {message}
        </p>
      )}
    </div>
  );
}

/**
 * "Run on server" settings: the platform's URL and API key, and where the Run
 * button runs (this page, or the server). Kept in this page's local storage
 * only: never in a share link, a record or the run history (a server's record
 * names no key).
 */
import { create } from 'zustand';

export type RunTarget = 'local' | 'server';

export interface ServerSettings {
  url: string;
  apiKey: string;
  target: RunTarget;
  save(s: Partial<Pick<ServerSettings, 'url' | 'apiKey' | 'target'>>): void;
}

const KEY = 'dissmodel.server';

function load(): Pick<ServerSettings, 'url' | 'apiKey' | 'target'> {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    const v = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    return {
      url: typeof v.url === 'string' ? v.url : '',
      apiKey: typeof v.apiKey === 'string' ? v.apiKey : '',
      target: v.target === 'server' ? 'server' : 'local',
    };
  } catch {
    return { url: '', apiKey: '', target: 'local' };
  }
}

/** Why a server URL cannot be used, or null. */
export function serverUrlProblem(url: string): string | null {
  if (!url.trim()) return 'Set the server URL and API key in Settings → Server.';
  try {
    const u = new URL(url.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `The server URL must start with http:// or https://, not ${u.protocol}.`;
    if (u.username || u.password) return 'Put the API key in its own field, not in the server URL.';
    return null;
  } catch {
    return `'${url}' is not a URL such as https://dissmodel.example.org.`;
  }
}

export const useServerSettings = create<ServerSettings>()((set, get) => ({
  ...load(),
  save(s) {
    const next = { url: get().url, apiKey: get().apiKey, target: get().target, ...s };
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify(next));
    } catch {
      /* private mode: kept in memory for this page */
    }
    set(next);
  },
}));

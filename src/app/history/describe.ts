/** What a history entry shows of its run: the dataset's name and every parameter, from the record. */
import { parseRecordJson } from '../../executor/record.ts';
import { uriDisplayName } from '../../worker/protocol.ts';

export interface EntryDetail {
  /** The input's display name, or null for a model without input. */
  dataset: string | null;
  /** `key=value` for every parameter, in the record's order. */
  params: string[];
}

const cache = new Map<string, EntryDetail>();

export function entryDetail(recordJson: string): EntryDetail {
  const hit = cache.get(recordJson);
  if (hit) return hit;
  let detail: EntryDetail;
  try {
    const r = parseRecordJson(recordJson);
    detail = {
      dataset: r.source.uri ? uriDisplayName(r.source.uri) : null,
      params: Object.entries(r.parameters).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`),
    };
  } catch {
    detail = { dataset: null, params: [] };
  }
  cache.set(recordJson, detail);
  return detail;
}

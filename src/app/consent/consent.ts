/**
 * Consent before the page fetches anything that is not a bundled sample: a URL from a share
 * link, a record or the URL field is shown with its host, and nothing is requested until the
 * person agrees. Addresses on their own machine or network (loopback, private, link-local,
 * local names) need an explicit tick as well. Consent holds for that exact URL for the rest
 * of the session; declining refuses the fetch with a message saying so.
 */
import { create } from 'zustand';
import { InputError } from '../../executor/errors.ts';
import { classifyUrl, type AddressClass } from '../../io/address-class.ts';

export interface ConsentRequest {
  url: string;
  address: AddressClass;
  /** What asks for it: 'a share link', 'the record x.json', 'the URL you entered'. */
  origin: string;
  answer(yes: boolean): void;
}

interface ConsentState {
  granted: ReadonlySet<string>;
  pending: ConsentRequest | null;
  /** Requests waiting behind the one shown. */
  queue: ConsentRequest[];
}

export const useConsent = create<ConsentState>()(() => ({ granted: new Set<string>(), pending: null, queue: [] }));

const waiting = new Map<string, Promise<void>>();

function showNext(): void {
  const s = useConsent.getState();
  if (s.pending || s.queue.length === 0) return;
  useConsent.setState({ pending: s.queue[0], queue: s.queue.slice(1) });
}

/**
 * Resolves once the person agreed to fetch `url` (at once if they already did in this
 * session); rejects with an InputError (not retried) when they decline or `signal` aborts. Nothing is
 * fetched by this function.
 */
export function ensureConsent(url: string, origin: string, signal?: AbortSignal): Promise<void> {
  if (useConsent.getState().granted.has(url)) return Promise.resolve();
  const already = waiting.get(url);
  if (already) return already;
  const address = classifyUrl(url);
  const p = new Promise<void>((resolve, reject) => {
    let done = false;
    const req: ConsentRequest = {
      url,
      address,
      origin,
      answer: (yes) => {
        if (done) return;
        done = true;
        waiting.delete(url);
        const s = useConsent.getState();
        useConsent.setState({
          pending: s.pending === req ? null : s.pending,
          queue: s.queue.filter((q) => q !== req),
          ...(yes ? { granted: new Set([...s.granted, url]) } : {}),
        });
        showNext();
        if (yes) resolve();
        else reject(new InputError(`Not fetched: you declined to let the page download ${url} (${address.host}).`));
      },
    };
    signal?.addEventListener('abort', () => req.answer(false), { once: true });
    useConsent.setState((s) => ({ queue: [...s.queue, req] }));
    showNext();
  });
  waiting.set(url, p);
  return p;
}

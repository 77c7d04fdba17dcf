/** Copy text to the clipboard with a short-lived outcome for the button to show ('ok', 'fail', then 'idle' again). */
import { useEffect, useState } from 'react';

export type CopyState = 'idle' | 'ok' | 'fail';

export function useCopy(): [CopyState, (text: string) => void] {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(t);
  }, [state]);
  const copy = (text: string) => {
    if (!navigator.clipboard) return setState('fail');
    navigator.clipboard.writeText(text).then(
      () => setState('ok'),
      () => setState('fail'),
    );
  };
  return [state, copy];
}

/** Files dropped on the map are taken as on the dataset panel's drop zone (refusals go to the page notice). */
import { useCallback, useState, type DragEvent } from 'react';
import { useTakeFiles } from '../data/use-take-files.ts';
import { useWorkbench } from '../store.ts';

export function useMapDrop() {
  const [over, setOver] = useState(false);
  const running = useWorkbench((s) => s.run.status === 'running');
  const onError = useCallback((msg: string | null) => {
    if (msg) useWorkbench.getState().setNotice(msg);
  }, []);
  const take = useTakeFiles(onError);
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  return {
    over,
    props: {
      onDragEnter: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        if (!running) setOver(true);
      },
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = running ? 'none' : 'copy';
      },
      onDragLeave: (e: DragEvent) => {
        if (e.currentTarget === e.target || !e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      },
      onDrop: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(false);
        if (running) useWorkbench.getState().setNotice('A run is in progress: cancel it or wait before dropping another dataset.');
        else take(e.dataTransfer?.files);
      },
    },
  };
}

/**
 * What happens to files dropped or picked anywhere on the page (the dataset
 * panel's drop zone, the map): a dataset becomes the source, a record.json
 * re-runs its experiment, anything else is refused with the accepted formats.
 */
import { useCallback } from 'react';
import { extensionOf, FORMAT_EXTENSIONS } from '../../io/dataset.ts';
import { looksLikeRecord, MAX_RECORD_FILE_BYTES, replayRecordFile } from '../share/reproduce.ts';
import { useWorkbench } from '../store.ts';
import { useExecutorSpecs } from './queries.ts';

export const ACCEPTED: string[] = Object.values(FORMAT_EXTENSIONS).flat();
export const ACCEPTED_LIST = ACCEPTED.map((e) => `.${e}`).join(', ');

let fileCounter = 0;

/** `onError(null)` when the files were taken, else the reason they were refused. */
export function useTakeFiles(onError: (msg: string | null) => void): (files: FileList | null | undefined) => void {
  const setSource = useWorkbench((s) => s.setSource);
  const specs = useExecutorSpecs();
  return useCallback(
    (files) => {
      const file = files?.[0];
      if (!file) {
        onError(`Nothing was dropped. Drop a ${ACCEPTED_LIST} file.`);
        return;
      }
      const ext = extensionOf(file.name);
      if (!ACCEPTED.includes(ext)) {
        onError(
          `${file.name} is not a GeoTIFF or GeoJSON file, a zipped Shapefile, a GeoPackage or a FlatGeobuf. Accepted: ${ACCEPTED_LIST}.`,
        );
        return;
      }
      if (file.size === 0) {
        onError(`${file.name} is empty (0 bytes).`);
        return;
      }
      onError(null);
      const asDataset = () => setSource({ kind: 'file', uri: `file:${file.name}`, file, id: ++fileCounter });
      // A record.json dropped here is an experiment to re-run, not a GeoJSON dataset.
      if (ext === 'json' && file.size <= MAX_RECORD_FILE_BYTES) {
        void file.text().then((text) => (looksLikeRecord(text) ? replayRecordFile(file, specs()) : asDataset()), asDataset);
        return;
      }
      asDataset();
    },
    [onError, setSource, specs],
  );
}

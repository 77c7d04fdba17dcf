/** A drop zone's drag state and handlers: highlighted while files hover, the files handed on when dropped (not while disabled). */
import { useState, type DragEvent } from 'react';

export function useFileDrop(disabled: boolean, onFiles: (files: FileList | undefined) => void) {
  const [over, setOver] = useState(false);
  return {
    over,
    dropProps: {
      onDragEnter: (e: DragEvent) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      },
      onDragOver: (e: DragEvent) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
      },
      onDragLeave: () => setOver(false),
      onDrop: (e: DragEvent) => {
        e.preventDefault();
        setOver(false);
        if (!disabled) onFiles(e.dataTransfer?.files);
      },
    },
  };
}

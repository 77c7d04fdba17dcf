/** The main area: the map, or for a model that writes a table (no map to show) its series chart. */
import { takesNoInput } from '../data/compat.ts';
import { MapView } from '../map/MapView.tsx';
import { TableView } from '../panels/TableView.tsx';
import { useSelectedSpec } from '../run/useRun.ts';
import { useWorkbench } from '../store.ts';

export function MainView() {
  const spec = useSelectedSpec();
  const display = useWorkbench((s) => s.run.response?.display);
  const runModel = useWorkbench((s) => s.run.model);
  const table = (!!spec && takesNoInput(spec)) || (display?.kind === 'table' && runModel === spec?.name);
  return table ? <TableView /> : <MapView />;
}

/** The attribute the map colours the agents by (id, kind, energy…). */
import type { DrawLayer } from './layers.ts';

export function AgentFieldSelect({ layer, onChange }: { layer: DrawLayer; onChange: (field: string) => void }) {
  return (
    <label className="toolbar-field">
      <span>Colour agents by</span>
      <select className="input input-small" value={layer.field} data-testid="agent-field-select" onChange={(e) => onChange(e.target.value)}>
        {layer.fieldChoices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

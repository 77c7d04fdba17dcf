/**
 * The WebGL meshes of large polygon layers (src/worker/vector-mesh.ts), made by the worker when a
 * dataset is read and kept here by geometry key: a run's output on its input's cells finds the
 * input's mesh and is drawn by recolouring it.
 */
import { geometryKey } from '../../worker/geometry-key.ts';
import type { VectorMesh } from '../../worker/vector-mesh.ts';
import type { VectorDataset } from '../../sim/dataset.ts';

const meshes = new Map<string, VectorMesh>();
/** Meshes kept (the last ones read). */
const KEPT = 3;

export function rememberMesh(key: string, mesh: VectorMesh): void {
  meshes.delete(key);
  meshes.set(key, mesh);
  if (meshes.size > KEPT) meshes.delete(meshes.keys().next().value!);
}

/** The mesh of a dataset's geometry, when the worker made one and its feature count agrees. */
export function meshOfDataset(ds: VectorDataset): VectorMesh | undefined {
  const m = meshes.get(geometryKey(ds));
  return m && m.count === ds.features.length ? m : undefined;
}

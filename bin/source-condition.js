// Module resolution hook (see source-loader.js): adds the `dissmodel-source` condition to every resolution.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'dissmodel-source'] });
}

/**
 * Enum values for Pothos with a description each: every value of `values` must have one, so a
 * value added to the list without words for API users does not compile.
 */
export function describedValues<const V extends string>(
  values: readonly V[],
  descriptions: Record<V, string>,
): Record<V, { value: V; description: string }> {
  return Object.fromEntries(values.map((v) => [v, { value: v, description: descriptions[v] }])) as Record<
    V,
    { value: V; description: string }
  >;
}

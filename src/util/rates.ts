/**
 * A rate (0–1, e.g. the 服务满意率) as every document writes it: a percentage with one decimal, "87.5%".
 * JSON keeps the number itself.
 */
export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** Bytes as the memory refusals say them: mebibytes to one decimal, '1.5 MiB'. */
export function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

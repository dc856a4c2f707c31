import { grouped } from './counted.js';

/** Bytes as the memory refusals say them: mebibytes to one decimal, '1.5 MiB'. */
export function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** A file's size past a limit, as the file refusals say it: '2,000,000 bytes exceeds the limit of 1,048,576'. */
export function bytesBeyond(bytes: number | bigint, limit: number): string {
  return `${grouped(bytes)} bytes exceeds the limit of ${grouped(limit)}`;
}

/** Content past a limit whose whole size is not known (a pipe, read until the limit): 'more than 1,048,576 bytes, the limit'. */
export function contentBeyond(limit: number): string {
  return `more than ${grouped(limit)} bytes, the limit`;
}

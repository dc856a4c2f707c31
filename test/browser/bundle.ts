/** Checks on a built browser bundle. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A static import of a Node built-in, or Vite's stub for one it externalised. */
const NODE_REACH = /\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\(\s*["']node:|__vite-browser-external/;

/** The .js files under `folder` whose code would reach a Node built-in in a browser. */
export async function filesReachingNode(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const path = join(entry.parentPath, entry.name);
    if (NODE_REACH.test(await readFile(path, 'utf8'))) found.push(path);
  }
  return found;
}

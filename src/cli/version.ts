/** The installed gradscope's version, read from its package.json (two folders up from src/cli and dist/cli). */
import { readFileSync } from 'node:fs';

export function gradscopeVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

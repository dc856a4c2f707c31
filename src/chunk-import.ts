/**
 * Code gradscope loads only when a call first needs it (the report's, the threads'), by a dynamic
 * import: a page that never makes that call does not load it, and a bundler puts it in a chunk of
 * its own, which the page fetches then. Where it cannot be loaded the caller gets IO_ERROR, not the
 * engine's bare TypeError.
 */
import { GradscopeError } from './errors.js';

/**
 * What `load` (a dynamic import of gradscope's `file`, the module holding `what`) gives. Where it
 * cannot be loaded, IO_ERROR naming `caller` with the import's own message, and what to do where it
 * says the file was not there (the chunk was not served: serve every file the build wrote); where
 * the file came but failed as it ran (a bundle's fault, not the server's), IO_ERROR saying so.
 */
export async function importChunk<M>(load: () => Promise<M>, caller: string, what: string, file: string): Promise<M> {
  return load().catch((cause: unknown) => {
    const code = `${what} (gradscope's ${file}, in a bundled page a chunk of its own`;
    throw new GradscopeError(
      'IO_ERROR',
      notFound(cause) ? `${caller}: could not load ${code}; serve every file the build wrote): ${String(cause)}` : `${caller}: ${code}) was fetched but failed as it ran: ${String(cause)}`,
    );
  });
}

/** The words a dynamic import's TypeError says a module's file was not there with: Chromium's and Node's, Firefox's, Safari's. */
const NOT_FOUND_WORDS = /Failed to fetch dynamically imported module|Cannot find module|error loading dynamically imported module|Importing a module script failed/;

/**
 * Whether a dynamic import failed for want of the module's file (not served, not found: Node's
 * ERR_MODULE_NOT_FOUND, a browser's TypeError in its words) rather than in the module as it ran
 * (a ReferenceError of a minified bundle); its causes are read too (a bundler or runner may wrap it).
 */
function notFound(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' || (e.name === 'TypeError' && NOT_FOUND_WORDS.test(e.message))) return true;
  }
  return false;
}

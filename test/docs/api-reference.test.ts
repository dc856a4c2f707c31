/**
 * The API reference is complete: typedoc, with the project's own typedoc.json (notDocumented
 * validation on), converts both public entry points and reports no warning, so every export of
 * src/index.ts and src/node.ts (and each member and field) carries a TSDoc comment. No HTML is
 * written (`emit: 'none'`).
 */
import { fileURLToPath } from 'node:url';
import { Application, Logger, LogLevel, TSConfigReader, TypeDocReader } from 'typedoc';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Keeps every warning and error typedoc reports, so a failure names what is undocumented. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    if (level >= LogLevel.Warn) this.messages.push(message);
  }
}

describe('API reference (typedoc)', () => {
  it('documents every export of the public entry points, with no warning', async () => {
    const app = await Application.bootstrapWithPlugins({ options: `${root}/typedoc.json`, emit: 'none' }, [new TypeDocReader(), new TSConfigReader()]);
    const logger = new CollectingLogger();
    app.logger = logger;
    // The check below means something only while typedoc.json asks for it.
    expect(app.options.getValue('validation').notDocumented).toBe(true);
    expect(app.options.getValue('entryPoints').map((p) => p.replace(/.*\/src\//, 'src/')).sort()).toEqual(['src/index.ts', 'src/node.ts']);

    const project = await app.convert();
    expect(project, logger.messages.join('\n')).toBeDefined();
    app.validate(project!);
    expect(logger.messages).toEqual([]);
  }, 180_000);
});

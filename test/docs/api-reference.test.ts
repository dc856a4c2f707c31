/**
 * The API reference is complete: typedoc, with the project's own typedoc.json (notDocumented
 * validation on), converts both public entry points and reports no warning, so every export of
 * src/index.ts and src/node.ts (and each member and field) carries a TSDoc comment. No HTML is
 * written (`emit: 'none'`). A type a public one refers to but the entry points do not export is not
 * in the reference (its fields shown nowhere): those are listed here, so none is added unsaid.
 */
import { fileURLToPath } from 'node:url';
import { Application, Logger, LogLevel, TSConfigReader, TypeDocReader } from 'typedoc';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Types public ones refer to that are not exported, so not in the reference. Export one (and take it
 * off this list) to document it; the types of TrainingProgress's fields are exported (LossNoise
 * replaced riseNoise: docs/changes.md).
 * Internal by design: CommonExports and VariantKernels (the compiled module's raw exports, pointers
 * and per-variant names, which change with assembly/) and WasmTensor (a pointer into linear memory:
 * the kernel contract keeps tensors opaque, and a view dies on the next alloc).
 * The engine contract Trainable (exported: what an optimiser gets as `net[MODEL]`) names is public
 * with it, so an optimiser written outside gradscope can use all of it: GaussNewtonOperator and
 * HessianOperator (gaussNewton(), hessian()), ResidentRows (loadBatch's rows) and FlowTaps with its
 * LayerTap and ResidualTap (flowTaps()) are exported and documented.
 */
const UNEXPORTED_REFERENCES = ['CommonExports', 'VariantKernels', 'WasmTensor'].sort();

/** typedoc's notExported warning: "X, defined in …, is referenced by … but not included in the documentation". */
const NOT_EXPORTED = /^(\S+), defined in .* is referenced by .* but not included in the documentation$/;

/** Keeps every warning and error typedoc reports, so a failure names what is undocumented. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    if (level >= LogLevel.Warn) this.messages.push(message);
  }
}

describe('API reference (typedoc)', () => {
  it('documents every export of the public entry points, with no warning; the types they refer to unexported are the known ones', async () => {
    const app = await Application.bootstrapWithPlugins({ options: `${root}/typedoc.json`, emit: 'none' }, [new TypeDocReader(), new TSConfigReader()]);
    const logger = new CollectingLogger();
    app.logger = logger;
    // The check below means something only while typedoc.json asks for it.
    expect(app.options.getValue('validation').notDocumented).toBe(true);
    expect(app.options.getValue('entryPoints').map((p) => p.replace(/.*\/src\//, 'src/')).sort()).toEqual(['src/index.ts', 'src/node.ts']);

    const project = await app.convert();
    expect(project, logger.messages.join('\n')).toBeDefined();
    app.validate(project!);
    expect(logger.messages, logger.messages.join("\n")).toEqual([]);

    // The same project checked for references to types the entry points do not export (off in typedoc.json: these are known).
    app.options.setValue('validation', { ...app.options.getValue('validation'), notExported: true });
    app.validate(project!);
    const unexported = [...new Set(logger.messages.map((m) => NOT_EXPORTED.exec(m)?.[1] ?? m))].sort();
    expect(unexported).toEqual(UNEXPORTED_REFERENCES);
  }, 180_000);
});

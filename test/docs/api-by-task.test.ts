// docs/api.md's "By task" table names what a user calls for each task, and each name is real: an
// export of 'gradscope' (or of 'gradscope/node' where the row says so), a member of Network
// (`net.train`, `Network.fromJSON`), or a field of the results and options the row reads
// (`settings`, `flagValue`). Read with the TypeScript compiler from the entry points, as typedoc
// reads them, so a renamed or dropped export fails here rather than leaving the newcomer a name that
// is not there. The table covers the tasks a newcomer comes with. The Errors section tables every
// ErrorCode with when it is raised.
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_ROWS } from '../../src/wasm/threads/threaded-kernels.js';
import { tableUnder } from '../util/markdown-tables.js';
import { expectError } from '../util/expect-error.js';
import { createNetwork } from '../../src/api/network.js';
import { createDataset } from '../../src/api/dataset.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rows = tableUnder(readFileSync(`${root}docs/api.md`, 'utf8'), '## By task');
const program = ts.createProgram([`${root}src/index.ts`, `${root}src/node.ts`], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true });
const checker = program.getTypeChecker();

/** The entry point's exports, by name, resolved through aliases and `export *`. */
function exportsOf(entry: string): Map<string, ts.Symbol> {
  const module = checker.getSymbolAtLocation(program.getSourceFile(`${root}${entry}`)!)!;
  return new Map(checker.getExportsOfModule(module).map((s) => [s.name, s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s]));
}
const BROWSER = exportsOf('src/index.ts');
const NODE = exportsOf('src/node.ts');

/** The property names of exported type or class `name`, by either entry point (a class's instance side, or with `statics` its constructor's). */
function propertiesOf(name: string, statics = false): string[] {
  const symbol = (BROWSER.get(name) ?? NODE.get(name))!;
  const type = statics ? checker.getTypeOfSymbol(symbol) : checker.getDeclaredTypeOfSymbol(symbol);
  return type.getProperties().map((p) => p.name);
}
const NETWORK_MEMBERS = propertiesOf('Network');
/** Fields the rows name bare: the remedies' (apply a remedy), train()'s options (`optimizer`) and the error's (`code`). */
const FIELDS = new Set([...propertiesOf('Remedy'), ...propertiesOf('RemedySetting'), ...propertiesOf('TrainOptions'), ...propertiesOf('GradscopeError'), ...propertiesOf('PaperExperimentsOptions')]);

/** What a code span names, where it names one: `net.train(…)` → net.train; `createNetwork({ … })` → createNetwork; `OPTIMIZERS` → OPTIMIZERS. Literals and types spelt out (`number[][]`, `'relu'`) name nothing. */
function nameIn(span: string): string | undefined {
  return /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)(?:\(.*\))?$/.exec(span)?.[1];
}

/** Why a name a row's cell gives is not there, or undefined when it is. */
function missing(name: string, cell: string): string | undefined {
  const [owner, member] = name.split('.');
  if (owner === 'net') return NETWORK_MEMBERS.includes(member) ? undefined : `net.${member}: no member of Network`;
  if (member !== undefined) return BROWSER.has(owner) && propertiesOf(owner, true).includes(member) ? undefined : `${name}: not exported with that static member`;
  if (BROWSER.has(name) || FIELDS.has(name) || NETWORK_MEMBERS.includes(name) || name in globalThis) return undefined;
  if (NODE.has(name)) return cell.includes("`'gradscope/node'`") ? undefined : `${name}: exported by 'gradscope/node' only, and the row does not say so`;
  return `${name}: exported by neither entry point`;
}

describe("docs/api.md's By task table", () => {
  it('covers what a newcomer comes to do', () => {
    const tasks = rows.map((cells) => cells[0]);
    for (const task of ['make a network', 'train it on your rows', 'read the gradient flow', 'apply a remedy', 'save and load', 'use two threads', 'measure curvature']) expect(tasks).toContain(task);
  });

  it('names only what is there', () => {
    const names = rows.flatMap(([, call]) => [...call.matchAll(/`([^`]+)`/g)].map((m) => nameIn(m[1])).filter((n): n is string => n !== undefined).map((n) => ({ n, call })));
    expect(names.length).toBeGreaterThan(40);
    expect(names.map(({ n, call }) => missing(n, call)).filter(Boolean)).toEqual([]);
  });

  it("says from which batch two threads split a product (a run at train()'s default batch of 32 stays on one)", () => {
    const threads = rows.find((cells) => cells[0] === 'use two threads')![1];
    expect(threads).toContain(`at least ${DEFAULT_MIN_ROWS} batch rows: \`batchSize: ${2 * DEFAULT_MIN_ROWS}\` or more on two threads`);
  });

  it("says a dataset made on two threads is for a two-thread network, and the networks' refusals are what it quotes", async () => {
    const threads = rows.find((cells) => cells[0] === 'use two threads')![1];
    const quoted = "its rows live in another backend's memory";
    expect(threads).toContain(`\`createDataset(x, y, { threads: 2 })\` uploads on a worker, for a network of as many threads: its rows live in their memory, so a one-thread network refuses it (\`INVALID_OPTION: dataset: ${quoted}\`), as a two-thread network refuses a one-thread dataset`);
    const options = { sizes: [2, 3, 1], output: 'sigmoid', loss: 'binary-cross-entropy', seed: 1 } as const;
    const [one, two] = [await createNetwork(options), await createNetwork({ ...options, threads: 2 })];
    const [onTwo, onOne] = [await createDataset([[1, 2]], [[1]], { threads: 2 }), await createDataset([[1, 2]], [[1]])];
    for (const [net, data] of [[one, onTwo], [two, onOne]] as const) {
      await expectError(() => net.train(data), 'INVALID_OPTION', new RegExp(`^dataset: ${quoted}`));
    }
    expect(two.evaluate(onTwo).loss).toBe(one.evaluate(onOne).loss);
    for (const held of [one, two, onTwo, onOne]) held.dispose();
  });

  it('tells a name that is not there', () => {
    expect(missing('createNetwrok', '')).toContain('neither');
    expect(missing('net.fit', '')).toContain('no member');
    expect(missing('loadMnist', "`loadMnist`")).toContain("'gradscope/node' only");
    expect(missing('loadMnist', "`loadMnist` (`'gradscope/node'`)")).toBeUndefined();
    expect(missing('Network.fromJSON', '')).toBeUndefined();
  });
});

describe("docs/api.md's table of error codes", () => {
  it('has a row for every ErrorCode and no other', () => {
    const codes = (checker.getDeclaredTypeOfSymbol(BROWSER.get('ErrorCode')!) as ts.UnionType).types.map((t) => `\`${(t as ts.StringLiteralType).value}\``);
    expect(codes.length).toBeGreaterThan(10);
    const errors = tableUnder(readFileSync(`${root}docs/api.md`, 'utf8'), '## Errors');
    expect(errors.map((cells) => cells[0]).sort()).toEqual(codes.sort());
    expect(errors.filter((cells) => cells[1] === '').map((cells) => cells[0])).toEqual([]);
  });
});

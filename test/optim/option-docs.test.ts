// Each optimiser's options type says its defaults, and says what the code does: every field's
// "(default N" in its TSDoc is the value an optimiser made with no options holds (the public field
// of that name; learningRate: defaultLearningRate), and the type's "learning rate defaults to N" is
// that optimiser's defaultLearningRate. Read with the TypeScript compiler from the sources.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createNetwork, createOptimizer } from '../../src/index.js';

const OPTIM = resolve(import.meta.dirname, '../../src/optim');

/** The options types: the optimiser made to read its defaults from, and where the type is declared. */
const TYPES = [
  { name: 'sgd', file: 'sgd.ts', type: 'SgdOptions' },
  { name: 'adagrad', file: 'adagrad.ts', type: 'AdagradOptions' },
  { name: 'rmsprop', file: 'rmsprop.ts', type: 'RmspropOptions' },
  { name: 'adam', file: 'adam.ts', type: 'AdamOptions' },
  { name: 'lars', file: 'lars.ts', type: 'LarsOptions' },
  { name: 'lbfgs', file: 'lbfgs.ts', type: 'LbfgsOptions' },
  { name: 'levenberg-marquardt', file: 'levenberg-marquardt.ts', type: 'LevenbergMarquardtOptions' },
  // The options every first-order optimiser takes, read from SGD.
  { name: 'sgd', file: 'first-order.ts', type: 'FirstOrderOptions' },
] as const;

const docOf = (node: ts.Node, source: ts.SourceFile) => ts.getJSDocCommentsAndTags(node).map((doc) => doc.getText(source)).join('\n');
/** The value a doc states after `words`: a number, or true/false. */
const stated = (doc: string, words: RegExp): number | boolean | undefined => {
  const text = words.exec(doc)?.[1];
  return text === undefined ? undefined : text === 'true' ? true : text === 'false' ? false : Number(text);
};
const VALUE = '(true|false|-?[0-9.]+(?:e-?[0-9]+)?)\\b';

/** The type's own doc and each member's: its name and the default its doc states (undefined: none stated as a value). */
function documented(file: string, type: string) {
  const source = ts.createSourceFile(file, readFileSync(resolve(OPTIM, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === type);
  if (declaration === undefined) throw new Error(`${file} declares no interface ${type}`);
  const members = declaration.members.filter(ts.isPropertySignature).map((member) => ({
    field: member.name.getText(source),
    doc: docOf(member, source),
    value: stated(docOf(member, source), new RegExp(`\\(default ${VALUE}`)),
  }));
  return { doc: docOf(declaration, source), members };
}

describe("the optimisers' options types state the defaults the optimisers take", () => {
  it.each(TYPES)('$type: each field documented; each default it states is what $name holds when given none', async ({ name, file, type }) => {
    // mse with a linear output: Levenberg-Marquardt's problem, which every optimiser takes.
    const net = await createNetwork({ sizes: [2, 3, 1], loss: 'mse', output: 'linear' });
    const optimizer = createOptimizer(net, name) as unknown as Record<string, unknown>;
    const { doc, members } = documented(file, type);
    expect(doc, `${type} has a doc comment`).not.toBe('');
    expect(members.filter((m) => m.doc === '').map((m) => m.field)).toEqual([]);
    const stating = members.filter((m) => m.value !== undefined);
    expect(stating.length, `${type} states some default as a value`).toBeGreaterThan(0);
    for (const { field, value } of stating) {
      expect(field === 'learningRate' ? optimizer.defaultLearningRate : optimizer[field], `${type}.${field}`).toBe(value);
    }
    const learningRate = stated(doc, new RegExp(`learning rate defaults to ${VALUE}`));
    if (learningRate !== undefined) expect(optimizer.defaultLearningRate, `${type}: its learning rate`).toBe(learningRate);
    (optimizer.dispose as () => void)();
    net.dispose();
  });

  it('reads the learning rate each first-order type states (the survey itself works)', () => {
    const stating = TYPES.filter(({ file, type }) => stated(documented(file, type).doc, new RegExp(`learning rate defaults to ${VALUE}`)) !== undefined);
    expect(stating.map((t) => t.type)).toEqual(['SgdOptions', 'AdagradOptions', 'RmspropOptions', 'AdamOptions', 'LarsOptions']);
  });
});

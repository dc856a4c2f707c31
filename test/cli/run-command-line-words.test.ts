// A trace's run as the command line repeats it says what no flag takes in words a terminal shows as
// written: a trace file may hold any optimiser name, and it reaches the printed remedies' "cannot" line.
import { describe, expect, it } from 'vitest';
import { studyRun } from '../../src/cli/run-command-line.js';
import { Trace } from '../../src/flow/trace.js';
import { hasUnsafe } from '../../src/unsafe-characters.js';

const known = { epochs: 1, seed: 1, rows: { train: '100' }, name: 'run.json' };

function unsaidOptimizer(optimizer: string): string | undefined {
  const trace = new Trace({ sizes: [2, 3, 2], activations: ['sigmoid', 'softmax'], loss: 'cross-entropy', every: 1, run: { optimizer, learningRate: 0.1, batchSize: 8, init: 'standard', biasInit: 'zero' } });
  const { train } = studyRun(trace, known, undefined);
  return 'unsaid' in train ? train.unsaid.get('optimizer') : undefined;
}

describe("studyRun's words for a trace's optimiser", () => {
  it('quotes a name no flag takes as a typed word: no terminal control reaches the screen raw', () => {
    expect(unsaidOptimizer('my-own')).toBe("--optimizer has no 'my-own'");
    const said = unsaidOptimizer('evil\u001b[2J\u202ename')!;
    expect(hasUnsafe(said)).toBe(false);
    expect(said).toBe("--optimizer has no $'evil\\x1b[2J\\u202ename'");
  });

  it('cuts a long name at 40 characters, never inside a character beyond U+FFFF', () => {
    const said = unsaidOptimizer(`${'a'.repeat(39)}😀😀`)!;
    expect(said).toBe(`--optimizer has no '${'a'.repeat(39)}😀…'`);
  });
});

describe("studyRun's words for a trace's activations and initialisation", () => {
  const unsaid = (activations: string[], init: unknown, biasInit: unknown) => {
    const sizes = [2, ...activations.slice(1).map(() => 3), 2];
    const trace = new Trace({ sizes, activations: activations as never, loss: 'cross-entropy', every: 1, run: { learningRate: 0.1, batchSize: 8, init, biasInit } as never });
    const { train } = studyRun(trace, known, undefined);
    return 'unsaid' in train ? train.unsaid : new Map<string, string>();
  };

  it('quotes the names and settings a trace file holds: nothing reaches the terminal raw', () => {
    const said = unsaid(['sigmoid', 'tan\u009bh', 'softmax'], { name: 'evil\u202e', std: 1 }, { name: 'odd\u0085', value: 1 });
    for (const text of said.values()) expect(hasUnsafe(text), text).toBe(false);
    expect(said.get('activation')).toBe("its hidden layers' activations differ ('sigmoid', $'tan\\u009bh'), and --activation sets one for all");
    expect(said.get('init')).toBe('its initialisation {"name":"evil\\u202e","std":1} is no --init form');
    expect(said.get('bias-init')).toBe('its bias initialisation {"name":"odd\\u0085","value":1} is no --bias-init form');
  });

  it('says why a lone hidden activation no --activation takes is left out, as an unknown optimiser is', () => {
    expect(unsaid(['my\u202eact', 'my\u202eact', 'softmax'], 'standard', 'zero').get('activation')).toBe("--activation has no $'my\\u202eact'");
  });

  it("quotes a blocks trace's layer types the same way in why train cannot make it", () => {
    const blocks = { layers: [{ name: '0', type: 'dense' }, { name: '1', type: 'batch\u202enorm' }, { name: '2', type: 'dense' }], residuals: [] } as never;
    const trace = new Trace({ sizes: [4, 3, 3, 2], activations: ['linear', 'linear', 'linear'], loss: 'mse', every: 1, blocks });
    const { train } = studyRun(trace, known, undefined);
    expect(train).toEqual({ cannot: "gradscope train cannot make this run: its layers are layer specs ('dense', $'batch\\u202enorm'), which --layers cannot spell" });
  });
});

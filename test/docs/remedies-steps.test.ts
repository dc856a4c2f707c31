// docs/remedies.md's "A budget of steps replays": its table is what `study remedies --steps 20000` prints, the same on every
// run of seed 1 (its point: a budget of CPU seconds buys as many steps as the load allows, so its rows do not replay).
// LARS's row is re-run here (the cheapest to re-run whole, 20,000 steps of batch 32), and must come out as printed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runRemediesStudy } from '../../src/studies/remedies.js';
import { lossChangeText } from '../../src/loss-text.js';
import { percentText } from '../../src/percent-text.js';
import { grouped } from '../../src/counted.js';
import { tableUnder } from '../util/markdown-tables.js';

const doc = readFileSync(new URL('../../docs/remedies.md', import.meta.url), 'utf8');

describe("docs/remedies.md's budget of steps", () => {
  it("quotes the command its table came from, and LARS's row is what that command gives (it replays)", async () => {
    const steps = 20_000;
    expect(doc).toContain(`npx gradscope study remedies --steps ${steps} --optimizers lars,rmsprop,adam`);
    const rows = tableUnder(doc, '### A budget of steps replays');
    expect(rows.map((row) => row[1])).toEqual(['lars', 'rmsprop', 'adam']);
    const [lars] = (await runRemediesStudy({ steps, optimizers: ['lars'] })).runs;
    const [budget, , stepsCell, ratio, loss, accuracy] = rows[0];
    expect([budget, stepsCell]).toEqual([`${grouped(steps)} steps`, grouped(lars.steps!)]);
    expect(ratio).toBe(`${lars.movementRatio!.toPrecision(3)}×`);
    expect(loss).toBe(lossChangeText(lars.initialLoss!, lars.trainLoss!));
    expect(accuracy).toBe(percentText(lars.testAccuracy!));
  }, 300_000);
});

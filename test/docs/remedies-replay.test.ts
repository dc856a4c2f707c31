/**
 * README's remedies table is docs/data/remedies-replay.json as scripts/remedies-replay.ts renders it, and the file is what
 * the code measures: two of its rows replayed here bit for bit (auditor54 #6: the table was a 2026-11-29 run of older code
 * that five rows and its bold no longer matched, and no test held any cell).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPLAYED_ROWS, replayRow, replayTable, type RemediesReplay } from '../../scripts/remedies-replay.js';
import { tableStarting } from '../util/markdown-tables.js';
import { flat } from '../util/printed-text.js';

const read = (file: string) => ({ file, text: readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8') });
const README = read('README.md');
const replay = JSON.parse(read('docs/data/remedies-replay.json').text) as RemediesReplay;

describe("README's remedies table", () => {
  it('is the replay file rendered, every row the script replays, in its order', () => {
    expect(replay.rows.map((row) => row.name)).toEqual(REPLAYED_ROWS.map((row) => row.name));
    replay.rows.forEach((row, i) => expect(row.run.steps, row.name).toBe(REPLAYED_ROWS[i].steps));
    const table = tableStarting(README, '| optimiser | steps (6 s on 2026-11-29) |');
    expect(table.rows).toEqual(replayTable(replay));
  });

  it('names the commit and date the file was measured at', () => {
    expect(flat(README.text)).toContain(`replayed on ${replay.date} at commit ${replay.commit}`);
  });
});

// The replay's promise: the same seed and steps give the same run. Adam's row drifted unseen once in study (c) (auditor54 #4);
// here Adam and K-FAC (the first-order and the second-order path) are replayed whole (about 12 s each on a quiet machine).
describe('the replay file', () => {
  it.each(['adam', 'kfac'])('holds what the code measures for %s, bit for bit', async (optimizer) => {
    const at = REPLAYED_ROWS.findIndex((row) => row.optimizer === optimizer);
    const { secondsPerStep: _measuredSeconds, ...run } = await replayRow(REPLAYED_ROWS[at]);
    const { secondsPerStep: _storedSeconds, ...stored } = replay.rows[at].run;
    expect(run).toEqual(stored);
  }, 600_000);
});

import { expect } from 'vitest';
import type { Diagnosis } from '../../src/flow/diagnose.js';

/**
 * The most words a diagnosis's first paragraph (Diagnosis.paragraphs[0], the one the terminal, the report and the page lead with)
 * holds over test/flow/scenarios' dense networks. It held 119–162 while the gap sentence named its records three times and the
 * chain rule twice, the trend repeated the gap read at the first step and a dead network's second finding shared its paragraph
 * (lows51); 142 at most since, then 158 (the saturated network, whose paragraph holds its units' finding and the gap's) once the
 * weights' speed came to be said beside ‖∂C/∂b‖'s (lecturer52 #5). 144 at most since its records are named once (prose54).
 */
export const FIRST_PARAGRAPH_WORDS = 145;

/**
 * The same over test/flow/block-scenarios' block networks, whose sentences name a row by its path and module as well
 * ("the first hidden layer layers[0] ('0', dense)", said once a paragraph) and hold what norm rows and residual sums do to the
 * gap: 165 at most (prose54: 175 before).
 */
export const BLOCK_FIRST_PARAGRAPH_WORDS = 170;

/**
 * The most words any later paragraph holds, over both sets of scenarios: where the run stands (164 at most, a plateau's), what
 * else holds, and the plateau's question of curvature (said once in the report and the page, each time in the terminal: 177
 * words, the most, until it named the plateau study once and left the saddle rule in full to the page it names, prose55: 146).
 * A plateau's paragraph ran 280 words while it held why a noisy batch gradient does not answer "over training time?", now a
 * paragraph of its own (prose54: 164 and 124 words at most). 180 before prose55.
 */
export const LATER_PARAGRAPH_WORDS = 165;

/** Words as the caps count them: runs of non-space. */
export const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Every paragraph of `d` within its cap: the first within `first`, each later one within LATER_PARAGRAPH_WORDS. */
export function expectParagraphWords(d: Diagnosis, first: number): void {
  d.paragraphs.forEach((p, i) => expect(wordsIn(p), `paragraph ${i + 1}'s words\n${p}`).toBeLessThanOrEqual(i === 0 ? first : LATER_PARAGRAPH_WORDS));
}

// Study (b)'s table as `gradscope study activations` and npm start print it, read back into the cells
// docs/gradient-flow.md's study (b) table gives, so the page can be held to a run (auditor55 #8).

const INIT = '(standard|glorot-uniform|he-normal)';

/** A page's cell and a printed one in one spelling: the page writes five layers' 0/0/0/0/0 as one 0. */
export function sameSpelling(cell: string): string {
  return cell.replace(/\b0(?:\/0){4}\b/g, '0').trim();
}

/**
 * Per 'activation init', the printed cells the page's table gives after those two, in its order: test error, first ÷ last
 * RMS ‖δₓ‖, first ÷ last ‖∂C/∂b‖, % per layer start → end (from the first printed table), and the verdict (from the second,
 * its wall-clock seconds left out).
 */
export function studyBRowsPrinted(out: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const m of out.matchAll(new RegExp(`^(\\w+) +${INIT} +([\\d.]+ %) +(\\S+) +(\\S+) +((?:saturated|dead) .+?)\\s*$`, 'gm'))) {
    rows.set(`${m[1]} ${m[2]}`, [m[3], m[4], m[5], m[6]].map(sameSpelling));
  }
  for (const m of out.matchAll(new RegExp(`^(\\w+) +${INIT} {2,}(\\S.*?) {2,}[\\d.]+\\s*$`, 'gm'))) rows.get(`${m[1]} ${m[2]}`)?.push(sameSpelling(m[3]));
  return rows;
}

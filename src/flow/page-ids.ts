/**
 * The element ids of one page, each held by one element. The ids its input names (a report's
 * sections, runs and charts) are checked against the ids held before them and then held, each with
 * what holds it, which a refusal names; the ones it makes from them (a run's charts, `<run>-loss`,
 * …) are made unique around those: an id already held is followed by the first free `-2`, `-3`, …
 * So runs 'a' and 'a-loss' keep their ids and run a's loss chart is 'a-loss-2', where both were
 * 'a-loss' and the contents bar's link to run 'a-loss' went to run a's chart.
 */
export class PageIds {
  /** Each id held, with what holds it ("a section's element id"). */
  private readonly holders = new Map<string, string>();

  /** What holds `id` ("a section's element id"), or undefined while no element has it. */
  holderOf(id: string): string | undefined {
    return this.holders.get(id);
  }

  /** Holds `id` (an id the input names, checked unique by the caller) for `holder`, as holderOf says it. */
  hold(id: string, holder: string): void {
    this.holders.set(id, holder);
  }

  /** `wanted`, or the first of `wanted-2`, `wanted-3`, … no element of the page has; held from then on. */
  made(wanted: string): string {
    let id = wanted;
    for (let n = 2; this.holders.has(id); n++) id = `${wanted}-${n}`;
    this.holders.set(id, 'an element id the page made');
    return id;
  }
}

/**
 * The element ids of one page, each handed out once. The ids its input names (a report's sections,
 * runs and charts) are taken as given; the ones it makes from them (a run's charts, `<run>-loss`, …)
 * are made unique around those: an id already taken is followed by the first free `-2`, `-3`, … So
 * runs 'a' and 'a-loss' keep their ids and run a's loss chart is 'a-loss-2', where both were 'a-loss'
 * and the contents bar's link to run 'a-loss' went to run a's chart.
 */
export class PageIds {
  private readonly taken = new Set<string>();

  /** Ids the page's input names, already checked to be unique (renderReport refuses them otherwise). */
  constructor(given: Iterable<string>) {
    for (const id of given) this.taken.add(id);
  }

  /** `wanted`, or the first of `wanted-2`, `wanted-3`, … no element of the page has; taken from then on. */
  made(wanted: string): string {
    let id = wanted;
    for (let n = 2; this.taken.has(id); n++) id = `${wanted}-${n}`;
    this.taken.add(id);
    return id;
  }
}

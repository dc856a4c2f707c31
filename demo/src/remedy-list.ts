/**
 * The diagnosis's remedies as a list with an Apply button where the page can run the remedy, updated
 * in place. While training runs as fast as it goes the worker's messages come many times a second;
 * a list rebuilt on each one replaced its buttons between a user's press and release, and the release
 * then landed on a detached element: no click. So each item is kept from one message to the next,
 * keyed by the options its remedy sets, and changed only where what it shows has changed; its button
 * stays the same element, and applies what it shows at the moment it is clicked. A remedy with an
 * alternative (layer norm beside batch norm, tanh beside relu) shows it on a line of its own with
 * its own button, right under the first choice, and why the remedy helps under both, as the report
 * and the terminal order them: after a why of several lines the alternative stood far below the
 * choice it is the alternative to, on a phone most (newuser43 #10, review44 #11). One choice reads
 * 'A: why' on its line.
 */
import { remedyLines, unbrokenPercents, type Remedy } from '../../src/index.js';
import { codeNode, proseNodes } from './prose.js';
import { earlyStopEpochs, noButtonReason, offeredLayerRates, remedySetting, type DataShape } from './remedies.js';
import type { Settings } from './settings.js';

/**
 * What a click on a remedy's button does: rerun with its change (and the per-layer rates it shows); early stopping's reruns the
 * same settings (no change) and pauses as epoch `stopAfterEpoch` ends.
 */
export type ApplyRemedy = (change: Partial<Settings>, layerRates?: number[], stopAfterEpoch?: number) => void;

/** One choice as an item shows it: its settings in the API's terms, and its button's change and rates or why it has none. */
interface ChoiceShown {
  option: string;
  change: Partial<Settings> | null;
  rates: number[] | null;
  /** Early stopping's epochs (earlyStopEpochs): its button reruns to them and stops; null for any other choice. */
  stopAfter: number | null;
  noButton: string;
}

/** Everything one item shows: why the remedy helps, its first choice, and its alternative where it has one. */
interface Shown {
  why: string;
  choices: ChoiceShown[];
}

/** The class of each choice's button: the first choice's `apply`, the alternative's `apply-alternative` (each item's first-choice button stays one element a selector finds alone). */
const BUTTON_CLASSES = ['apply', 'apply-alternative'];

/** Updates `list` (a <ul>) to show `remedies` under `settings` on data of `shape`, keeping every item (and button) whose remedy is still there. */
export function updateRemedyList(list: HTMLElement, remedies: readonly Remedy[], settings: Settings, shape: DataShape, apply: ApplyRemedy): void {
  const kept = new Map<string, HTMLLIElement>();
  for (const li of Array.from(list.children)) if (li instanceof HTMLLIElement && li.dataset.key) kept.set(li.dataset.key, li);
  const items = remedyKeys(remedies).map((key, i) => {
    const li = kept.get(key) ?? newItem(key, apply);
    show(li, shownOf(remedies[i], settings, shape), apply);
    return li;
  });
  // Replacing children that are already in place would detach them too (a press in progress is lost).
  const inPlace = items.length === list.children.length && items.every((li, i) => list.children[i] === li);
  if (!inPlace) list.replaceChildren(...items);
}

/**
 * Each remedy's key: the options it sets, not their values (a per-layer-rates remedy's numbers move
 * with every step), numbered where two remedies set the same options (relu, then SELU).
 */
function remedyKeys(remedies: readonly Remedy[]): string[] {
  const seen = new Map<string, number>();
  return remedies.map((remedy) => {
    const options = remedy.settings.map((s) => s.option).join('+');
    const nth = seen.get(options) ?? 0;
    seen.set(options, nth + 1);
    return `${options}#${nth}`;
  });
}

function shownOf(remedy: Remedy, settings: Settings, shape: DataShape): Shown {
  const lines = remedyLines(remedy);
  const choices = [remedy.settings, ...(remedy.alternative ? [remedy.alternative] : [])].map((choice, i): ChoiceShown => {
    const stopAfter = earlyStopEpochs({ settings: choice });
    // Early stopping changes no setting: its rerun is of the same ones, stopped after its epoch.
    const change = stopAfter === null ? remedySetting({ settings: choice }, settings, shape) : {};
    return {
      option: lines[i],
      change,
      // Per-layer rates run as the remedy shows them, not measured again on the new network.
      rates: change ? offeredLayerRates({ settings: choice }) : null,
      stopAfter,
      noButton: change ? '' : noButtonReason({ settings: choice }, settings, shape),
    };
  });
  return { why: remedy.why, choices };
}

/** An empty item: the first choice's text and why, and its button, whose click applies what its data attributes hold then. */
function newItem(key: string, apply: ApplyRemedy): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.key = key;
  const text = document.createElement('span');
  text.className = 'remedy';
  li.append(text, ...choiceControls(0, apply));
  return li;
}

/** A choice's button and the note said where it has none. */
function choiceControls(choice: number, apply: ApplyRemedy): [string, HTMLButtonElement, HTMLSpanElement] {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = BUTTON_CLASSES[choice];
  button.addEventListener('click', () => {
    const { layerRates: rates, stopAfter } = button.dataset;
    apply(JSON.parse(button.dataset.change!) as Partial<Settings>, rates === undefined ? undefined : (JSON.parse(rates) as number[]), stopAfter === undefined ? undefined : Number(stopAfter));
  });
  const note = document.createElement('span');
  note.className = 'no-apply';
  return [' ', button, note];
}

/** The alternative's line of `li` ('or: ' and its settings, its button and note), made the first time it has one and taken out when it has none. */
function alternativeLine(li: HTMLLIElement, wanted: boolean, apply: ApplyRemedy): HTMLElement | null {
  const line = li.querySelector<HTMLElement>('div.alternative');
  if (!wanted) {
    line?.remove();
    return null;
  }
  if (line) return line;
  const made = document.createElement('div');
  made.className = 'alternative';
  made.append('or: ', document.createElement('code'), ...choiceControls(1, apply));
  li.append(made);
  return made;
}

/** The why of `li` on a line of its own after its alternative's (`why`), made the first time it is wanted and taken out when it is not (null: the why follows the one choice). */
function whyLine(li: HTMLLIElement, why: string | null, before: string | null): void {
  const line = li.querySelector<HTMLElement>(':scope > div.why');
  if (why === null) return void line?.remove();
  if (line && why === before) return;
  const made = line ?? li.appendChild(Object.assign(document.createElement('div'), { className: 'why' }));
  made.replaceChildren(...proseNodes(why));
}

/** Changes only what differs from what `li` shows now (nothing at all when nothing does). */
function show(li: HTMLLIElement, shown: Shown, apply: ApplyRemedy): void {
  const signature = JSON.stringify(shown);
  if (li.dataset.shown === signature) return;
  const before = li.dataset.shown === undefined ? null : (JSON.parse(li.dataset.shown) as Shown);
  li.dataset.shown = signature;
  const [first, alternative] = shown.choices;
  // With an alternative, why goes under it (whyLine); with one choice, after it on its line.
  const apart = alternative !== undefined;
  const wasApart = before !== null && before.choices.length > 1;
  const text = li.querySelector<HTMLElement>('span.remedy')!;
  if (before?.choices[0].option !== first.option || apart !== wasApart || (!apart && before.why !== shown.why)) {
    text.replaceChildren(codeNode(first.option), ...(apart ? [] : [': ', ...proseNodes(shown.why)]));
  }
  showChoice(li, first, 0);
  const line = alternativeLine(li, apart, apply);
  if (line) {
    line.querySelector('code')!.replaceWith(codeNode(alternative.option));
    showChoice(line, alternative, 1);
  }
  whyLine(li, apart ? shown.why : null, wasApart ? before.why : null);
}

/** A choice's button (its change and rates as data attributes) or, where it has none, the note saying why. */
function showChoice(parent: HTMLElement, shown: ChoiceShown, choice: number): void {
  const button = parent.querySelector<HTMLButtonElement>(`:scope > button.${BUTTON_CLASSES[choice]}`)!;
  button.hidden = shown.change === null;
  if (shown.change) button.dataset.change = JSON.stringify(shown.change);
  else delete button.dataset.change;
  if (shown.rates) button.dataset.layerRates = JSON.stringify(shown.rates);
  else delete button.dataset.layerRates;
  if (shown.stopAfter === null) delete button.dataset.stopAfter;
  else button.dataset.stopAfter = String(shown.stopAfter);
  button.textContent = shown.stopAfter === null ? 'Apply and rerun' : `Rerun and stop after epoch ${shown.stopAfter}`;
  const note = parent.querySelector<HTMLElement>(':scope > span.no-apply')!;
  note.hidden = shown.change !== null;
  note.textContent = shown.change ? '' : unbrokenPercents(` (no Apply button: ${shown.noButton})`);
}

/**
 * The diagnosis's remedies as a list with an Apply button where the page can run the remedy, updated
 * in place. While training runs as fast as it goes the worker's messages come many times a second;
 * a list rebuilt on each one replaced its buttons between a user's press and release, and the release
 * then landed on a detached element: no click. So each item is kept from one message to the next,
 * keyed by the options its remedy sets, and changed only where what it shows has changed; its button
 * stays the same element, and applies what it shows at the moment it is clicked.
 */
import { unbrokenPercents, type Remedy } from '../../src/index.js';
import { proseNodes } from './prose.js';
import { noButtonReason, offeredLayerRates, remedySetting } from './remedies.js';
import type { Settings } from './settings.js';

/** What a click on a remedy's button does: rerun with its change (and the per-layer rates it shows). */
export type ApplyRemedy = (change: Partial<Settings>, layerRates?: number[]) => void;

/** Everything one item shows: its text, and its button's change and rates or why it has none. */
interface Shown {
  option: string;
  why: string;
  change: Partial<Settings> | null;
  rates: number[] | null;
  noButton: string;
}

/** Updates `list` (a <ul>) to show `remedies` under `settings`, keeping every item (and button) whose remedy is still there. */
export function updateRemedyList(list: HTMLElement, remedies: readonly Remedy[], settings: Settings, apply: ApplyRemedy): void {
  const kept = new Map<string, HTMLLIElement>();
  for (const li of Array.from(list.children)) if (li instanceof HTMLLIElement && li.dataset.key) kept.set(li.dataset.key, li);
  const items = remedyKeys(remedies).map((key, i) => {
    const li = kept.get(key) ?? newItem(key, apply);
    show(li, shownOf(remedies[i], settings));
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

function shownOf(remedy: Remedy, settings: Settings): Shown {
  const change = remedySetting(remedy, settings);
  return {
    option: remedy.option,
    why: remedy.why,
    change,
    // Per-layer rates run as the remedy shows them, not measured again on the new network.
    rates: change ? offeredLayerRates(remedy) : null,
    noButton: change ? '' : noButtonReason(remedy, settings),
  };
}

/** An empty item: its text, and a button whose click applies what its data attributes hold then. */
function newItem(key: string, apply: ApplyRemedy): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.key = key;
  const text = document.createElement('span');
  text.className = 'remedy';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'apply';
  button.textContent = 'Apply and rerun';
  button.addEventListener('click', () => {
    const rates = button.dataset.layerRates;
    apply(JSON.parse(button.dataset.change!) as Partial<Settings>, rates === undefined ? undefined : (JSON.parse(rates) as number[]));
  });
  const note = document.createElement('span');
  note.className = 'no-apply';
  li.append(text, ' ', button, note);
  return li;
}

/** Changes only what differs from what `li` shows now (nothing at all when nothing does). */
function show(li: HTMLLIElement, shown: Shown): void {
  const signature = JSON.stringify(shown);
  if (li.dataset.shown === signature) return;
  const before = li.dataset.shown === undefined ? null : (JSON.parse(li.dataset.shown) as Shown);
  li.dataset.shown = signature;
  const text = li.querySelector<HTMLElement>('span.remedy')!;
  if (before?.option !== shown.option || before.why !== shown.why) {
    const code = document.createElement('code');
    code.textContent = shown.option;
    text.replaceChildren(code, ': ', ...proseNodes(shown.why));
  }
  const button = li.querySelector<HTMLButtonElement>('button.apply')!;
  button.hidden = shown.change === null;
  if (shown.change) button.dataset.change = JSON.stringify(shown.change);
  else delete button.dataset.change;
  if (shown.rates) button.dataset.layerRates = JSON.stringify(shown.rates);
  else delete button.dataset.layerRates;
  const note = li.querySelector<HTMLElement>('span.no-apply')!;
  note.hidden = shown.change !== null;
  note.textContent = shown.change ? '' : unbrokenPercents(` (no Apply button: ${shown.noButton})`);
}

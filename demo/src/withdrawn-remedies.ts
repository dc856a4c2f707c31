/**
 * The remedies the panel offered earlier in the run and offers no longer, each with one line saying when and why. The
 * diagnosis reads the whole run again at every update and offers a remedy only on the evidence it reads then (SELU and
 * LSUV beside activations whose spread drifts with depth, say, until the run's medians recover): a remedy left the list
 * without a word (newuser42). Kept from one update to the next of one run; a new network starts none.
 */
import { remedyLines, type Remedy, type Verdict } from '../../src/index.js';
import { CONTINUING, FIELDS, type Settings } from './settings.js';
import { stepText } from './format.js';

/** What the panel showed of a remedy the last time it offered it. */
interface Offer {
  /** Its first choice in the API's terms (remedyLines), as the list showed it. */
  option: string;
  why: string;
  /** What called for it: the run's losses, or (absent) its gradient flow's readings (Remedy.readFrom). */
  readFrom: Remedy['readFrom'];
  /** The page's step it was last offered at. */
  step: number;
  verdict: Verdict;
  /** The run's step settings then (CONTINUING: the ones a run keeps through a change). */
  settings: Settings;
}

/** A remedy no longer offered: its first choice in the API's terms, and the line that says when and why. */
export interface Withdrawn {
  option: string;
  line: string;
}

/**
 * A remedy's identity from one update to the next: the options it sets, which way where it moves one ('smaller', 'larger'),
 * and what it sets them to but the numbers ('relu' and 'selu' are two remedies, batch norm and residual blocks two
 * `layers` changes; a per-layer-rates remedy whose rates move with every step is one).
 */
export function remedyIdentity(remedy: Pick<Remedy, 'settings'>): string {
  const named = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? undefined : v)) ?? '';
  return remedy.settings.map((s) => `${s.option}${s.direction ? ` ${s.direction}` : ''}=${named(s.setting)}`).join('+');
}

/**
 * What a remedy was offered on, where its why says it as a measurement before its reason ("activations' spread, last ÷
 * first hidden layer: 0.449; SELU with …"): that reading; else ''.
 */
function measuredOn(why: string): string {
  const [first] = why.split('; ');
  return first !== why && /\d/.test(first) ? first : '';
}

export class WithdrawnRemedies {
  private readonly offers = new Map<string, Offer>();
  private readonly gone = new Map<string, Withdrawn>();

  /** A new run: nothing offered before it. */
  clear(): void {
    this.offers.clear();
    this.gone.clear();
  }

  /**
   * The panel now offers `remedies` at `step`, with verdict `verdict`, the run's settings `settings`: returns every remedy
   * offered earlier in the run and not now, in the order they left, each with why (a remedy offered again leaves this list).
   */
  update(remedies: readonly Remedy[], verdict: Verdict, step: number, settings: Settings): Withdrawn[] {
    // Numbered where two share an identity, so that neither hides the other.
    const seen = new Map<string, number>();
    const now = new Map(
      remedies.map((r) => {
        const identity = remedyIdentity(r);
        const nth = seen.get(identity) ?? 0;
        seen.set(identity, nth + 1);
        return [`${identity}#${nth}`, r];
      }),
    );
    for (const [key, offer] of this.offers) {
      if (!now.has(key) && !this.gone.has(key)) this.gone.set(key, { option: offer.option, line: withdrawnLine(offer, verdict, step, settings) });
    }
    for (const [key, remedy] of now) {
      this.gone.delete(key);
      this.offers.set(key, { option: remedyLines(remedy)[0], why: remedy.why, readFrom: remedy.readFrom, step, verdict, settings });
    }
    return [...this.gone.values()];
  }
}

/**
 * The line of a remedy last offered as `offer` and not at `step`: until when, and what changed since (the verdict, a step setting,
 * or the readings: the gradient flow's, or for a remedy of where the run stands its losses, Remedy.readFrom).
 */
export function withdrawnLine(offer: Offer, verdict: Verdict, step: number, settings: Settings): string {
  const until = `offered until ${stepText(offer.step)}`;
  const not = `not at ${stepText(step)}`;
  if (verdict !== offer.verdict) return `${until} for the ${offer.verdict} verdict; ${not}, where the verdict is ${verdict}.`;
  const changed = CONTINUING.filter((key) => settings[key] !== offer.settings[key]);
  if (changed.length > 0) {
    const went = changed.map((key) => `${FIELDS[key].label} went from ${offer.settings[key]} to ${settings[key]}`).join(' and ');
    return `${until}; ${not}, after the run's ${went} (the diagnosis reads the run as it is now set up).`;
  }
  const on = measuredOn(offer.why);
  const readings = offer.readFrom === 'losses' ? "the run's losses (where it stands)" : "the run's readings (medians over its records)";
  return `${until}${on ? ` on ${on}` : ''}; ${not}, where the verdict is still ${verdict} but ${readings} no longer call for it.`;
}

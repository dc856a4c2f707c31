/**
 * "Measure the curvature here": where the diagnosis asks whether a plateau is a minimum, a saddle or a slope (and the
 * run is paused), measureCurvature of the network as it stands on the page's probe rows, in a worker of its own
 * (curvature-worker.ts), with its progress and a Cancel once it takes over PROGRESS_AFTER_MS; then the reading in
 * `gradscope curvature`'s words (pointText, one source), handed to the training worker, whose diagnosis then takes it
 * (diagnose's curvature option), so the panel's plateau paragraph answers instead of pointing to the command line.
 */
import { grouped } from '../../src/index.js';
import { proseNodes } from './prose.js';
import { stepText } from './format.js';
import type { CurvatureEvidence } from '../../src/index.js';
import type { CurvatureRows, FromCurvatureWorker } from './curvature-measure.js';
import type { TracedState } from './protocol.js';

/** How long a measurement runs before its progress and Cancel are shown: a shorter one only changes the button's words. */
export const PROGRESS_AFTER_MS = 1000;

/** What the action shows (its box's data-state): offered, measuring, the reading of the step shown, cancelled, or why it failed. */
export type CurvatureState = 'offered' | 'measuring' | 'measured' | 'cancelled' | 'failed';

/** The curvature measured, for the training worker's diagnosis ('curvature' message). */
export interface MeasuredCurvature {
  session: number;
  step: number;
  evidence: CurvatureEvidence;
}

/** The elements of the action (index.html's #curvature). */
const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;

export class CurvatureAction {
  private readonly box = $('curvature');
  private readonly offer = $('curvature-offer');
  private readonly button = $<HTMLButtonElement>('curvature-measure');
  private readonly progress = $('curvature-progress');
  private readonly bar = $<HTMLProgressElement>('curvature-bar');
  private readonly note = $('curvature-note');
  /** The measuring worker, while one runs. */
  private worker: Worker | undefined;
  /** Rows asked of the training worker and not yet come: a reply after a cancel or a move on is dropped. */
  private asked = false;
  private progressTimer: ReturnType<typeof setTimeout> | undefined;
  /** The step the reading shown, or the failure, is of: shown only while the page shows that step. */
  private of: number | undefined;
  private state: CurvatureState = 'offered';

  constructor(
    /** Asks the training worker for the network and its rows (a 'curvature-rows' message). */
    private readonly askRows: () => void,
    /** Gives the reading to the training worker (a 'curvature' message). */
    private readonly deliver: (measured: MeasuredCurvature) => void,
  ) {
    // Its note's command and call set as the diagnosis's code is.
    this.box.querySelectorAll('.prose').forEach((note) => note.replaceChildren(...proseNodes(note.textContent!)));
    this.button.addEventListener('click', () => this.start());
    $('curvature-cancel').addEventListener('click', () => {
      this.stop();
      this.note.textContent = 'Cancelled: nothing was measured; the network is as it was.';
      this.show('cancelled', this.of);
    });
  }

  /**
   * Shows the action for the page's state `s` while the run is `paused`: offered where the diagnosis asks (a plateau),
   * the reading while the page shows the step it is of; hidden while the run trains.
   */
  update(s: TracedState, paused: boolean): void {
    const current = this.of === s.step;
    const shown = paused && (this.state === 'measuring' || (current && this.state !== 'offered') || s.curvature === 'asked');
    this.box.hidden = !shown;
    if (!shown || this.state === 'measuring') return;
    if (!current) this.show('offered', s.step);
    // Once the diagnosis takes the reading, its paragraph answers: no second measurement of the same step.
    this.offer.hidden = s.curvature === 'answered';
  }

  /** The network moves on (a step, a run, a new network): a measurement is cancelled, its reading no longer of the network. */
  moveOn(): void {
    if (this.state === 'measuring') this.stop();
    this.of = undefined;
    this.state = 'offered';
  }

  /** The rows the training worker sent: measured in a worker of the page's own. */
  measure(rows: CurvatureRows): void {
    if (!this.asked) return;
    this.asked = false;
    if ('refused' in rows) return this.fail(rows.refused);
    this.of = rows.step;
    const worker = (this.worker = new Worker(new URL('./curvature-worker.ts', import.meta.url), { type: 'module' }));
    worker.onmessage = (event: MessageEvent<FromCurvatureWorker>) => {
      const message = event.data;
      if (message.type === 'progress') this.bar.value = message.fraction;
      else if (message.type === 'failed') this.fail(message.reason);
      else {
        this.stop();
        this.showReading(message, rows.step);
        this.deliver({ session: rows.session, step: rows.step, evidence: message.evidence });
      }
    };
    worker.onerror = (event) => this.fail(`the curvature worker failed: ${event.message}`);
    worker.postMessage(rows);
  }

  private start(): void {
    this.note.textContent = '';
    this.bar.value = 0;
    this.show('measuring', this.of);
    this.progressTimer = setTimeout(() => (this.progress.hidden = false), PROGRESS_AFTER_MS);
    this.asked = true;
    this.askRows();
  }

  /** Ends a measurement (its worker terminated) and hides its progress. */
  private stop(): void {
    this.asked = false;
    this.worker?.terminate();
    this.worker = undefined;
    clearTimeout(this.progressTimer);
    this.progress.hidden = true;
  }

  private fail(reason: string): void {
    this.stop();
    this.note.textContent = `Not measured: ${reason}`;
    this.show('failed', this.of);
  }

  private showReading(m: Extract<FromCurvatureWorker, { type: 'measured' }>, step: number): void {
    const at = `Measured at ${stepText(step)} on the first ${grouped(m.rows)} training rows (the edges’ rows) in ${m.seconds.toFixed(1)} s.`;
    $('curvature-reading').replaceChildren(...proseNodes(`${at} ${m.reading}`));
    $('curvature-lines').replaceChildren(
      ...m.lines.filter((line) => line !== m.reading).map((line) => {
        const p = document.createElement('p');
        p.append(...proseNodes(line));
        return p;
      }),
    );
    this.show('measured', step);
  }

  private show(state: CurvatureState, step: number | undefined): void {
    this.state = state;
    this.of = step;
    this.box.dataset.state = state;
    this.button.disabled = state === 'measuring';
    this.button.textContent = state === 'measuring' ? 'Measuring the curvature…' : 'Measure the curvature here';
    $('curvature-result').hidden = state !== 'measured';
    this.note.hidden = state !== 'failed' && state !== 'cancelled';
  }
}

/**
 * Keeps an element still while a press is in it, or a pointer rests on one of its buttons. While
 * training runs as fast as it goes the diagnosis panel is redrawn many times a second, and its
 * summary's length changes with the numbers in it: a line more or less moves every remedy button
 * below by a line. A user's press then released over the line the button had moved away from, and no
 * click came; and a button could move from under a pointer that had reached it, between aiming and
 * pressing (the press then landed on a remedy's text: 7 in 50 of a test's presses under load). So
 * while a pointer is down inside the element, or over a button in it, its updates are held, and the
 * latest is shown once both end — after the click a press makes (the next task), so the click lands
 * on what the user pressed. While an update is held the element carries data-held (its page shows that
 * what it shows is stale).
 */
export class PressHold<T> {
  private pressed = false;
  /** The button a hovering pointer rests on, if any. */
  private aimed: HTMLButtonElement | null = null;
  private held: { value: T } | null = null;

  constructor(
    private readonly element: HTMLElement,
    private readonly render: (value: T) => void,
  ) {
    element.addEventListener('pointerdown', () => (this.pressed = true));
    // A press can end outside the element, or outside the window (blur: its pointerup never comes).
    for (const end of ['pointerup', 'pointercancel', 'blur'] as const) window.addEventListener(end, () => this.releasePress());
    // A touch has no pointer resting anywhere before its press: only a hovering pointer (a mouse, a pen) aims.
    element.addEventListener('pointerover', (e) => {
      const button = buttonOf(e.target);
      if (e.pointerType !== 'touch' && button) this.aimed = button;
    });
    element.addEventListener('pointerout', (e) => {
      if (this.aimed && buttonOf(e.relatedTarget) !== this.aimed) this.releaseAim();
    });
    // A click on the aimed button is what the aim was for: the panel moves on (a pointer left resting on
    // the pressed button would otherwise hold the next run's diagnosis until it moved). A click elsewhere
    // (Enter on another focused button) leaves the pointer resting where it was: still held.
    element.addEventListener('click', (e) => {
      if (this.aimed && buttonOf(e.target) === this.aimed) this.releaseAim();
    });
  }

  /** Shows `value` now, or holds it (replacing any held before) until the press and the aim end. */
  show(value: T): void {
    // A button taken out of the page (by anything) has no pointer resting on it, and no pointerout comes.
    if (this.aimed && !this.aimed.isConnected) this.aimed = null;
    if (this.holding()) {
      this.held = { value };
      this.element.dataset.held = '';
    } else this.renderNow(value);
  }

  private holding(): boolean {
    return this.pressed || this.aimed !== null;
  }

  private releasePress(): void {
    if (!this.pressed) return;
    this.pressed = false;
    this.renderHeldLater();
  }

  private releaseAim(): void {
    this.aimed = null;
    this.renderHeldLater();
  }

  /** Renders what was held on the next task (after the click a release makes), unless held again by then. */
  private renderHeldLater(): void {
    setTimeout(() => {
      if (this.holding() || !this.held) return;
      this.renderNow(this.held.value);
    });
  }

  /** Renders `value`, dropping any held (older) one: the element is current again. */
  private renderNow(value: T): void {
    this.held = null;
    delete this.element.dataset.held;
    this.render(value);
  }
}

/**
 * The button `target` is in, if any, but one in a part marked data-no-hold: a button whose press asks for the change the
 * panel then shows (the curvature's Measure, whose reading the diagnosis takes) must not hold it back.
 */
function buttonOf(target: EventTarget | null): HTMLButtonElement | null {
  const button = target instanceof Element ? target.closest('button') : null;
  return button?.closest('[data-no-hold]') ? null : button;
}

/**
 * Keeps an element still while a press is in it. While training runs as fast as it goes the
 * diagnosis panel is redrawn many times a second, and its summary's length changes with the numbers
 * in it: a line more or less moves every remedy button below by a line. A user's press then
 * released over the line the button had moved away from, and no click came. So while a pointer is
 * down inside the element its updates are held, and the latest is shown once the press ends — after
 * the click it makes (the next task), so the click lands on what the user pressed.
 */
export class PressHold<T> {
  private pressed = false;
  private held: { value: T } | null = null;

  constructor(
    element: HTMLElement,
    private readonly render: (value: T) => void,
  ) {
    element.addEventListener('pointerdown', () => (this.pressed = true));
    // A press can end outside the element, or outside the window (blur: its pointerup never comes).
    for (const end of ['pointerup', 'pointercancel', 'blur'] as const) window.addEventListener(end, () => this.release());
  }

  /** Shows `value` now, or holds it (replacing any held before) until the press ends. */
  show(value: T): void {
    if (this.pressed) this.held = { value };
    else this.render(value);
  }

  private release(): void {
    if (!this.pressed) return;
    this.pressed = false;
    setTimeout(() => {
      const held = this.held;
      this.held = null;
      if (held && !this.pressed) this.render(held.value);
      else if (held) this.held = held;
    });
  }
}

/**
 * The report's tables where they do not fit their column: a row per card. A table's headers wrap
 * between their words and its cells never, so a table of many columns is wider than a phone's column
 * (the trainable-depth study's rows table is 658–879 px wide; a 320 px phone's column is 306 px) and
 * scrolled sideways in its box, a column at a time out of sight. The report's script shows each such
 * table as cards instead: each row a card, each of its cells on a line of its own after its column's
 * header. A table that fits stays a table (a desktop's, every table at 1400 px), and without the
 * script a table too wide scrolls in its box as before.
 *
 * The script runs these functions' own source (report-script.ts inlines them), so each uses nothing
 * outside itself but its arguments.
 */

/** The class of a table's box (`div.table`) while its table is shown as cards (the report's STYLE lays them out). */
export const TABLE_CARDS_CLASS = 'cards';

/**
 * Gives each cell of `table` its column's header (data-label: a card writes it before the value) and
 * each part its table role: a table laid out as blocks is a table to a screen reader only by its
 * roles (Safari drops a table's semantics with its display), and its headers stay in it, out of sight.
 */
export function labelTableCells(table: HTMLTableElement): void {
  const headers = Array.from(table.tHead?.rows[0]?.cells ?? [], (th) => th.textContent ?? '');
  table.setAttribute('role', 'table');
  for (const group of Array.from(table.querySelectorAll(':scope > thead, :scope > tbody'))) group.setAttribute('role', 'rowgroup');
  for (const row of Array.from(table.rows)) {
    row.setAttribute('role', 'row');
    Array.from(row.cells).forEach((cell, i) => {
      cell.setAttribute('role', cell.tagName === 'TH' ? 'columnheader' : 'cell');
      if (cell.tagName === 'TD') cell.dataset.label = headers[i] ?? '';
    });
  }
}

/**
 * Shows as cards the table of each box of `boxes` that is wider than its box, and as a table each
 * other: every box's table is laid out as a table first and all their widths read in one layout
 * (a table's width as cards says nothing of its width as a table).
 */
export function fitTables(boxes: HTMLElement[], cardsClass: string): void {
  for (const box of boxes) box.classList.remove(cardsClass);
  const wide = boxes.filter((box) => box.scrollWidth > box.clientWidth);
  for (const box of wide) box.classList.add(cardsClass);
}

/**
 * The report's tables where they do not fit their column: a row per card. A table's headers wrap
 * between their words and its cells never, so a table of many columns is wider than a phone's column
 * (the trainable-depth study's rows table is 658–879 px wide; a 320 px phone's column is 306 px) and
 * scrolled sideways in its box, a column at a time out of sight. The report's script shows each such
 * table as cards instead: each row a card, each of its cells on a line of its own after its column's
 * header. A table that fits stays a table (a desktop's, every table at 1400 px), and without the
 * script a table too wide scrolls in its box as before. The script (report-page.ts) imports these functions.
 */

/**
 * The class of the box of a table read across its rows (ReportTable.readAcross): never shown as cards; too wide, it scrolls
 * sideways in its box, its first column and its caption kept in view (the report's STYLE).
 */
export const TABLE_ACROSS_CLASS = 'across';

/** The class of a table's box (`div.table`) while its table is shown as cards (the report's STYLE lays them out). */
export const TABLE_CARDS_CLASS = 'cards';

/**
 * Gives each cell of `table` its column's header (data-label: a card writes it before the value, out of a screen
 * reader's hearing, which has the cell's column header already) and
 * each part its table role: a table laid out as blocks is a table to a screen reader only by its
 * roles (Safari drops a table's semantics with its display), and its headers stay in it, out of sight.
 * A cell's value is put in a <span>, each of its words in a <span> of its own, which a card keeps whole: a card wraps a long
 * value (a verdict's words) between its words, never inside one ('6.7e-8' broke after its hyphen).
 */
export function labelTableCells(table: HTMLTableElement): void {
  const headers = Array.from(table.tHead?.rows[0]?.cells ?? [], (th) => th.textContent ?? '');
  table.setAttribute('role', 'table');
  for (const group of Array.from(table.querySelectorAll(':scope > thead, :scope > tbody'))) group.setAttribute('role', 'rowgroup');
  for (const row of Array.from(table.rows)) {
    row.setAttribute('role', 'row');
    Array.from(row.cells).forEach((cell, i) => {
      // A header in the table's head heads its column; one in its body (a row's name) heads its row.
      cell.setAttribute('role', cell.tagName !== 'TH' ? 'cell' : row.parentElement?.tagName === 'THEAD' ? 'columnheader' : 'rowheader');
      if (cell.tagName !== 'TD') return;
      cell.dataset.label = headers[i] ?? '';
      const words = (cell.textContent ?? '').split(/( +)/).filter((part) => part !== '');
      // An empty cell stays empty: a card leaves it out (:empty).
      if (words.length === 0) return;
      // The value one element (a card's flex item beside its label), its words each one inside it.
      const value = document.createElement('span');
      value.append(...words.map((part) => (/^ +$/.test(part) ? part : Object.assign(document.createElement('span'), { textContent: part }))));
      cell.replaceChildren(value);
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

/**
 * Keeps in view, as a table read across (ReportTable.readAcross) scrolls in `box`, the columns after its first that name a
 * row with it (ReportTable.keyColumns, the box's data-key-columns): each sticks where the ones before it end, which only the
 * laid-out widths say (the report's STYLE sticks the first at 0). Run again whenever the widths may change.
 */
export function stickKeyColumns(box: HTMLElement): void {
  const keys = Number(box.dataset.keyColumns ?? 1);
  for (const row of Array.from(box.querySelector('table')?.rows ?? [])) {
    let left = 0;
    for (const cell of Array.from(row.cells).slice(0, keys)) {
      if (left > 0) Object.assign(cell.style, { position: 'sticky', left: `${left}px`, background: '#fff' });
      left += cell.getBoundingClientRect().width;
    }
  }
}

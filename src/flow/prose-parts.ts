/** Prose split into plain runs and `backticked` code: one rule for the report's text and the visualizer's. */
import { invalidOption, shownArgument } from '../errors.js';

/** One run of prose (proseParts). */
export interface ProsePart {
  /** The run's text, without backticks. */
  text: string;
  /** Whether it was a `backticked` span: an option or a command, shown as code. */
  code: boolean;
}

/**
 * Prose's runs in order, each plain or code: a `backticked` span is code, its backticks dropped.
 * The one rule behind the report's proseHtml and the visualizer's diagnosis text.
 */
export function proseParts(text: string): ProsePart[] {
  if (typeof text !== 'string') throw invalidOption(`proseParts: expected a string, got ${shownArgument(text)}`);
  // split with a capture group: the captured (code) runs sit at the odd indexes.
  return text.split(/`([^`]+)`/).map((run, i) => ({ text: run, code: i % 2 === 1 })).filter((part) => part.text !== '');
}

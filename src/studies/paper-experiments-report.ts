/** The papers' small experiments of the trainable-depth study as HTML report sections: plain data for src/flow/report-html.ts. */
import type { ReportSection } from '../flow/report-html.js';
import type { PaperExperiment } from './paper-experiment.js';

/** What an experiment found and how it differs from its paper, as labelled lines (report notes, terminal). */
export function paperNotes(e: Pick<PaperExperiment, 'findings' | 'differences'>): string[] {
  return [...e.findings.map((f) => `Found: ${f}`), ...e.differences.map((d) => `Differs from the paper: ${d}.`)];
}

/** One section per experiment: its set-up and notes, then its charts. */
export function paperReportSections(experiments: readonly PaperExperiment[]): ReportSection[] {
  return experiments.map((e) => ({ id: e.id, heading: e.title, text: e.setup, notes: paperNotes(e), charts: e.charts.filter((chart) => chart.series.length > 0) }));
}

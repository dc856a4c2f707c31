/**
 * The most f fell over a step of at most `t` down the gradient among `descent` (0 where none lowered it): the
 * decrease at a trust region's Cauchy point of radius t, measured. No rule of src/ reads it since review44 #14 (the
 * saddle rule weighs the gradient's whole descent, slopeDrop); the tests keep it for the rules it replaced and for
 * the docs' figures that quote it ("a step of 3 down the gradient lowers the objective by 5.07").
 */
import type { DownhillProbe } from '../../src/curvature/critical-point.js';

export function gradientDrop(descent: readonly DownhillProbe[], t: number): number {
  return descent.reduce((most, p) => (p.step <= t && -p.change > most ? -p.change : most), 0);
}

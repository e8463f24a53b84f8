// Checks a plan page runs beyond the log (assets/plan.js): the hook for the draw's
// entropy evidence (docs/draw-spec.md). Each check is an async function called once
// every record of the plan and every draw bundle of the page has been verified:
//
//   check({ planId, root, commitment, announcements, draws, fetchBytes, step })
//     commitment     { index, entry } of the plan's COMMITMENT, or null
//     announcements  [{ index, entry }] of its ANNOUNCEMENT records, in log order
//     draws          [{ index, entry, bundle, bundleText }]: each DRAW record and its
//                    bundle (parsed, and byte for byte as verified against the record's
//                    bundle_digest), in log order
//     step(text)     adds a line to the page's list of verification steps
//
// It throws an Error (its message is shown) when what it checks does not hold, and may
// return { items: Map<draw record index, item[]> }: lines the page shows after that
// draw's bundle tables (built with views.js's Items), which the page must then show
// exactly. E.g. a check of signed witness statements or beacon pulses in a
// regulation.draw.v2 bundle:
//
//   import { verifyWitnessStatement, verifyBeaconPulse } from './entropy.js';
//   export const planChecks = [async (plan) => { ... }];
export const planChecks = [];

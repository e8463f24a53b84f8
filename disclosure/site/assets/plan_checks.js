// Checks a plan page runs beyond the log (assets/plan.js): the draw's entropy evidence
// (docs/draw-spec.md §4, docs/entropy.md §5). Each check is an async function called once
// every record of the plan and every draw bundle of the page has been verified:
//
//   check({ planId, root, commitment, announcements, draws, fetchBytes, step, log })
//     commitment     { index, entry } of the plan's COMMITMENT, or null
//     announcements  [{ index, entry }] of its ANNOUNCEMENT records, in log order
//     draws          [{ index, entry, bundle, bundleText }]: each DRAW record and its
//                    bundle, in log order
//     log            the opened log (records.js), to verify more records
//     step(text)     adds a line to the page's list of verification steps
//
// It throws an Error (its message is shown) when what it checks does not hold, and may
// return { items: Map<draw record index, item[]> }: lines the page shows after that
// draw's bundle tables, which the page must then show exactly.

import { verifyEntropyStatement } from './entropy.js';
import { entropySourceDataPath } from './paths.js';
import { decode, verifiedRecord } from './records.js';
import { Items, timeValue } from './views.js';

const list = (v) => (Array.isArray(v) ? v : []);
const isKind = (source, name, number) => [name, number].includes(source.kind);

// The registered source `id`, from its ENTROPY_SOURCE records in the log (their indices
// listed in entropy-source/<id>.json, each verified like any record): { source, index,
// retiredAt } or a thrown Error.
async function registeredSource(plan, id) {
  const path = entropySourceDataPath(id);
  let indices;
  try {
    indices = list(JSON.parse(decode(await plan.fetchBytes(path))).records);
  } catch (e) {
    throw new Error(`entropy source ${id}: the site publishes no registration (${path}: ${e.message})`);
  }
  let found = null;
  let retiredAt = null;
  for (const i of indices) {
    if (!Number.isSafeInteger(i) || i >= plan.log.checkpoint.size) continue;  // not covered yet
    const r = await verifiedRecord(plan.log, plan.fetchBytes, i, { step: plan.step });
    const e = r.entry.entropy_source;
    if (r.entry.kind !== 'ENTROPY_SOURCE' || r.entry.subject !== id || !e) {
      throw new Error(`${path} names record #${i}, which is not a record of entropy source ${id}`);
    }
    if (e.event === 'REGISTERED' && !found) found = { source: e.source || {}, index: i };
    if (e.event === 'RETIRED') retiredAt = e.event_time;
  }
  if (!found) throw new Error(`entropy source ${id}: no REGISTERED record in the log`);
  return { ...found, retiredAt };
}

// What round `round` of the plan binds its statements to: the commitment (round 0) or the
// round's announcement.
function roundBinding(plan, round) {
  if (round === 0) {
    const c = plan.commitment && plan.commitment.entry.commitment;
    return c ? { record: plan.commitment, refs: c.entropy_sources, digest: c.commitment_digest,
      at: c.commit_time, delay: c.min_entropy_delay_seconds } : null;
  }
  const a = plan.announcements.find((r) => Number(r.entry.announcement.round || 0) === round);
  if (!a) return null;
  const x = a.entry.announcement;
  return { record: a, refs: x.entropy_sources, digest: x.commitment_digest, at: x.announce_time,
    delay: x.min_entropy_delay_seconds };
}

async function checkStatements(plan) {
  const items = new Map();
  const sources = new Map();
  for (const draw of plan.draws) {
    const d = draw.entry.draw;
    const round = Number(d.round || 0);
    const where = `draw round ${round} (record #${draw.index})`;
    const binding = roundBinding(plan, round);
    if (!binding) throw new Error(`${where}: the page names no commitment or announcement of round ${round}`);
    if (d.commitment_digest !== binding.digest) {
      throw new Error(`${where}: commitment digest ${d.commitment_digest}, but record #${binding.record.index} committed ${binding.digest}`);
    }
    const named = list(binding.refs).map((r) => r.source_id);
    const statements = list(d.statements);
    if (statements.map((s) => s.source_id).join(',') !== named.join(',')) {
      throw new Error(`${where}: statements from [${statements.map((s) => s.source_id).join(', ')}], ` +
                      `but record #${binding.record.index} named [${named.join(', ')}]`);
    }
    const notBefore = new Date(Date.parse(binding.at) + 1000 * Number(binding.delay || 0)).toISOString();
    const out = new Items(plan.root);
    out.heading('H3', '外部随机值声明', 'Entropy statements')
      .row('TH', ['随机源 Source', '签名方 Signer', '随机值 Value', '签名时间 Signed at']);
    for (const st of statements) {
      const id = st.source_id;
      if (!sources.has(id)) sources.set(id, await registeredSource(plan, id));
      const reg = sources.get(id);
      if (reg.index > binding.record.index) {
        throw new Error(`${where}: source ${id} was registered (record #${reg.index}) after record #${binding.record.index} named it`);
      }
      let value = '';
      let time = '';
      if (isKind(reg.source, 'ENTROPY_SOURCE_KIND_UNCHECKED', 3)) {
        value = String(st.unchecked_value || '');
      } else {
        const r = await verifyEntropyStatement(reg.source, st, {
          planId: plan.planId, round, commitment: binding.digest, notBefore,
        });
        if (!r.ok) {
          throw new Error(`${where}: the statement of ${id} does not check against its registered key ` +
                          `(record #${reg.index}): ${r.reason}`);
        }
        if (reg.retiredAt && Date.parse(r.time) >= Date.parse(reg.retiredAt)) {
          throw new Error(`${where}: the statement of ${id} was signed at ${r.time}, after the source was retired (${reg.retiredAt})`);
        }
        ({ value, time } = r);
        plan.step(`随机值声明有效 Statement of ${id} for round ${round} verifies with the key registered in ` +
                  `record #${reg.index}, bound to commitment ${binding.digest.slice(0, 16)}…, signed ${time}`);
      }
      out.row('TD', [{ text: id }, { text: String(reg.source.display_name || '') },
        { text: value, path: `draw.statements.${id}.value`, label: `随机值 Value of ${id}` },
        { ...timeValue(time), path: `draw.statements.${id}.signed_at`, label: `签名时间 Signing time of ${id}` }],
      `随机值声明 Statement of ${id}`);
    }
    if (statements.length) items.set(draw.index, out.items);
  }
  return { items };
}

export const planChecks = [checkStatements];

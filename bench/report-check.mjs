// Do `xypz report monthly --json` (a) and the raw SQL results (b) agree? Every district's and the totals'
// figures, compared one by one; a failure prints the differences and ends the process (bench/report.mjs and
// bench/report-pg.mjs).
export function check(json, res) {
  const fails = [];
  const eq = (what, a, b) => {
    if (a !== b) fails.push(`${what}: report ${a} ≠ raw ${b}`);
  };
  const cents = (x) => Math.round(Number(x) * 100);
  const byKey = (rows, k) => new Map(rows.map((r) => [String(r[k]), r]));
  const cc = byKey(res.caseCounts, 'region');
  const dc = byKey(res.declarationCounts, 'region');
  const lr = byKey(res['loanCounts(region)'], 'key');
  const cy = byKey(res['caseCounts 本年累计'], 'region');
  const ly = byKey(res['loanCounts(region) 本年累计'], 'key');
  const kr = byKey(res['coachingCounts(region)'], 'key');
  for (const d of json.districts) {
    const c = cc.get(d.code) ?? {};
    for (const k of ['recommended', 'over_quota', 'confirmed', 'active', 'assigned', 'closed_financed', 'closed_withdrawn']) eq(`${d.district}.${k}`, d[k], c[k] ?? 0);
    eq(`${d.district}.declared`, d.declared, dc.get(d.code)?.declared ?? 0);
    eq(`${d.district}.loan_amount (cents)`, cents(d.loan_amount), lr.get(d.code)?.loan_amount ?? 0);
    eq(`${d.district}.credit_firms`, d.credit_firms, lr.get(d.code)?.credit_firms ?? 0);
    eq(`${d.district}.recommended_ytd`, d.recommended_ytd, cy.get(d.code)?.recommended ?? 0);
    eq(`${d.district}.loan_amount_ytd (cents)`, cents(d.loan_amount_ytd), ly.get(d.code)?.loan_amount ?? 0);
    eq(`${d.district}.loan_firms_ytd`, d.loan_firms_ytd, ly.get(d.code)?.loan_firms ?? 0);
    for (const k of ['coaching_added', 'coaching_done', 'coaching_open', 'coaching_overdue']) eq(`${d.district}.${k}`, d[k], kr.get(d.code)?.[k] ?? 0);
  }
  const sum = (rows, k) => rows.reduce((a, r) => a + Number(r[k]), 0);
  eq('total.recommended', json.total.recommended, sum(res.caseCounts, 'recommended'));
  eq('total.active', json.total.active, sum(res.caseCounts, 'active'));
  eq('total.loan_amount (cents)', cents(json.total.loan_amount), sum(res['loanCounts(region)'], 'loan_amount'));
  eq('total.loan_amount_ytd (cents)', cents(json.total.loan_amount_ytd), sum(res['loanCounts(region) 本年累计'], 'loan_amount'));
  eq('total.coaching_open', json.total.coaching_open, sum(res['coachingCounts(region)'], 'coaching_open'));
  // the bank rows, the 未确定主办行 row and the 其他单位承办 row add up to the districts
  const bankRows = [...json.banks, json.banks_unassigned, json.banks_other];
  eq('banks: Σ active', sum(bankRows, 'active'), sum(res.activeByBank, 'active'));
  eq('banks: Σ active = total', sum(bankRows, 'active'), json.total.active);
  eq('banks: Σ loan_amount (cents)', bankRows.reduce((a, b) => a + cents(b.loan_amount), 0), sum(res['loanCounts(bank)'], 'loan_amount'));
  eq('banks: Σ loan_amount = total (cents)', bankRows.reduce((a, b) => a + cents(b.loan_amount), 0), cents(json.total.loan_amount));
  eq('banks: Σ loan_firms_ytd = total', sum(bankRows, 'loan_firms_ytd'), json.total.loan_firms_ytd);
  eq('banks: Σ coaching_done', sum(bankRows, 'coaching_done'), sum(res.coachingDoneByUnit, 'coaching_done'));
  eq('banks: Σ coaching_done = total', sum(bankRows, 'coaching_done'), json.total.coaching_done);
  // on-time rows of months owed; a bank's feedback for a month it did not owe counts nowhere
  eq('feedback rows ≤ raw', Math.min(json.districts.reduce((a, d) => a + d.feedback_months, 0) + sum(json.banks, 'feedback_months'), res.feedbackMonths.length), json.districts.reduce((a, d) => a + d.feedback_months, 0) + sum(json.banks, 'feedback_months'));
  if (json.total.recommended === 0 || json.total.active === 0 || json.total.loan_amount === 0) fails.push('the period has no activity: pick another --period');
  if (fails.length > 0) {
    console.error(`\nFAIL: \`xypz report monthly\` and the raw SQL disagree (${fails.length}):\n  ${fails.slice(0, 20).join('\n  ')}`);
    process.exit(1);
  }
  return json.total;
}

export const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/**
 * Runs (a) the CLI, (b) the raw SQL and (n) bare node `repeats` times each, interleaved (a b n, n b a, …)
 * so drifting load on the machine falls on all three alike; checks every pair of (a) and (b) agrees and
 * returns the runs with the 合计 row of the last check.
 */
export function interleaved(repeats, { cli, raw, bare, base }) {
  const A = [];
  const B = [];
  const N = [];
  // `base`: another build's CLI on the same database (bench/report.mjs --base), timed in the same rounds
  const Z = [];
  const order = base ? ['a', 'z', 'b', 'n'] : ['a', 'b', 'n'];
  for (let k = 0; k < repeats; k++) {
    for (const w of k % 2 === 0 ? order : [...order].reverse()) {
      if (w === 'a') A.push(cli());
      else if (w === 'z') Z.push(base());
      else if (w === 'b') B.push(raw());
      else N.push(bare());
    }
  }
  let total;
  for (let k = 0; k < repeats; k++) total = check(JSON.parse(A[k].stdout), B[k].results);
  return { A, B, N, Z, total };
}

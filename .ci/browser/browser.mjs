// Drives GraphiQL and the console in headless Chromium against a running demo gateway:
//
//   node .ci/browser/browser.mjs http://127.0.0.1:PORT [ADMIN_KEY]
//
// Checks that a query runs in GraphiQL and shows data, that the console's pages work (providers
// with their rejected rows, the course finder's filters, a person's history with masked fields,
// charts with the gateway's numbers and withheld cells shown as withheld), and that nothing is
// fetched from anywhere but 127.0.0.1 (such a request is aborted and fails the run). Keeps a
// screenshot of each page in target/browser/ (CHROMIUM overrides /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const base = (process.argv[2] || '').replace(/\/graphql$/, '').replace(/\/$/, '');
const adminKey = process.argv[3] || process.env.SIMPUL_ADMIN_KEY || '';
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) {
  console.error('usage: node browser.mjs http://127.0.0.1:PORT [ADMIN_KEY]');
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const shots = join(root, 'target/browser');
rmSync(shots, { recursive: true, force: true }); // the last run's pictures only
mkdirSync(shots, { recursive: true });

let failures = 0;
let passes = 0;
function check(ok, what, detail) {
  if (ok) {
    passes += 1;
    console.log(`ok   ${what}`);
  } else {
    failures += 1;
    console.log(`FAIL ${what}${detail === undefined ? '' : `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
  }
}

async function gql(query, variables, key) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${base}/graphql`, {
    method: 'POST', headers, body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

// ------------------------------------------------------------------ over plain HTTP
{
  const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
  const html = await page.text();
  check(page.status === 200 && page.headers.get('content-type') === 'text/html; charset=utf-8',
    'GET /graphql from a browser is GraphiQL (text/html)', page.status);
  const csp = page.headers.get('content-security-policy') || '';
  check(csp.includes("default-src 'self'") && !/https?:/.test(csp), 'the GraphiQL page has a self-only policy', csp);
  check(!/https?:\/\//.test(html), 'the GraphiQL page names no http(s) URL');
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const console_ = await (await fetch(`${base}/`)).text();
  assets.push(...[...console_.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]));
  check(assets.length >= 6, 'the pages load their scripts and styles from /assets/', assets);
  for (const url of assets) {
    const r = await fetch(base + url);
    const type = r.headers.get('content-type');
    const want = url.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
    check(r.status === 200 && type === want && /immutable/.test(r.headers.get('cache-control') || ''),
      `${url.split('/').pop()} is served as ${want.split(';')[0]}, cached`, { status: r.status, type });
    await r.arrayBuffer();
  }
}

// ------------------------------------------------------------------ the browser
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-default-apps', '--disable-sync'],
});
const context = await browser.newContext({
  viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true,
});
const outside = [];
await context.route('**/*', (route) => {
  const url = new URL(route.request().url());
  if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:')
    && url.hostname !== '127.0.0.1') {
    outside.push(url.href);
    return route.abort('blockedbyclient');
  }
  return route.continue();
});
const problems = [];
context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
const page = await context.newPage();
page.on('console', (m) => {
  if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(`console error: ${m.text()}`);
});
page.setDefaultTimeout(30000);

// The guard itself: a request to another host from a page is caught (and aborted).
await page.goto(`${base}/healthz`);
await page.evaluate(() => fetch('https://unpkg.com/graphiql/graphiql.min.js').catch(() => null));
check(outside.length === 1 && outside[0].startsWith('https://unpkg.com/'), 'the guard catches a request to another host', outside);
outside.length = 0;
problems.length = 0;

async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(false, name, e.message.split('\n')[0]);
  }
  try {
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: name !== 'graphiql' });
  } catch (e) {
    console.log(`(no screenshot of ${name}: ${e.message})`);
  }
}

// GraphiQL: the tour's tabs, a query that runs and shows data.
await step('graphiql', async () => {
  await page.goto(`${base}/graphql`);
  await page.waitForSelector('.graphiql-container .graphiql-execute-button');
  const tabs = await page.locator('.graphiql-tab').count();
  check(tabs >= 5, `GraphiQL opens with the README tour as tabs (${tabs})`);
  const editor = await page.locator('.graphiql-query-editor').innerText();
  check(/providers \{ key name kind/.test(editor), 'the first tab is the tour\'s providers query');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => /"key": "spn"/.test(document.querySelector('.result-window')?.innerText || ''));
  const result = await page.locator('.result-window').innerText();
  check(/"name": "SPN/.test(result) && /"totalCount": \d+/.test(result), 'the query runs and its data is shown');
});

// The providers page: health from /readyz, the SPN export's rejected row.
await step('providers', async () => {
  await page.goto(`${base}/#providers`);
  await page.waitForSelector('#providers-out table tbody tr');
  const providers = (await gql('{ providers { key } }')).data.providers.map((p) => p.key);
  const states = await page.$$eval('[data-provider-state]', (n) => n.map((e) => [e.dataset.providerState, e.textContent]));
  check(states.length === providers.length && states.every(([, s]) => s === 'ready'),
    `every provider is listed with its state (${states.map((s) => s.join('=')).join(', ')})`);
  const readyz = await (await fetch(`${base}/readyz`)).json();
  const spn = readyz.providers.find((p) => p.key === 'spn');
  const shown = await page.textContent('[data-rejected="spn"]');
  check(spn.rejectedRecords >= 1 && shown === String(spn.rejectedRecords),
    `SPN's rejected rows are shown as /readyz counts them (${shown})`);
  await page.click('details[data-issues="spn"] summary');
  const issues = await page.locator('details[data-issues="spn"] tbody tr').count();
  check(issues >= spn.rejectedRecords, `SPN's rejected rows are listed with their reasons (${issues})`);
});

// The course finder: the filters narrow the runs as the API does.
await step('courses', async () => {
  await page.goto(`${base}/#courses`);
  await page.waitForSelector('#course-results tbody tr');
  const all = await page.locator('#course-results tbody tr').count();
  const total = (await gql('{ courseRuns { totalCount } }')).data.courseRuns.totalCount;
  check(all === Math.min(total, 1000) && all > 0, `every run is listed before filtering (${all} of ${total})`);
  const center = await page.locator('#course-results tbody tr:first-child td:nth-child(3)').innerText();
  check(center.trim().length > 1 && center.trim() !== '—', `each run names its centre (${center.split('\n')[0]})`);

  await page.selectOption('#course-funding', 'PARTNER_FUNDED');
  await page.click('#course-form button[type=submit]');
  await page.waitForFunction((n) => document.querySelectorAll('#course-results tbody tr').length !== n, all);
  const funded = await page.$$eval('#course-results tbody tr td:nth-child(6)', (n) => n.map((e) => e.textContent));
  const fundedTotal = (await gql('{ courseRuns(where: { fundingScheme: { _eq: "PARTNER_FUNDED" } }) { totalCount } }')).data.courseRuns.totalCount;
  check(funded.length === fundedTotal && funded.every((f) => f.includes('PARTNER_FUNDED')),
    `the funding filter keeps the partner-funded runs only (${funded.length})`);

  await page.selectOption('#course-funding', '');
  const regions = await page.$$eval('#course-region option', (o) => o.map((e) => e.value).filter(Boolean));
  check(regions.length >= 2, `regencies to choose from (${regions.length})`);
  const region = regions[0];
  await page.selectOption('#course-region', region);
  await page.fill('#course-from', '2023-01-01');
  await page.click('#course-form button[type=submit]');
  const where = `{ regionCode: { _prefix: "${region}" }, startDate: { _gte: "2023-01-01" } }`;
  const expected = (await gql(`{ courseRuns(where: ${where}) { totalCount } }`)).data.courseRuns.totalCount;
  await page.waitForFunction((n) => document.querySelectorAll('#course-results tbody tr').length === n
    && /\d/.test(document.getElementById('courses-status').textContent), expected);
  const dates = await page.$$eval('#course-results tbody tr td:nth-child(5)', (n) => n.map((e) => e.textContent));
  check(dates.length === expected && dates.every((d) => d.slice(0, 10) >= '2023-01-01'),
    `region ${region} and a start date narrow the runs as the API does (${dates.length})`);

  const fields = await page.$$eval('#course-field option', (o) => o.map((e) => e.value).filter(Boolean));
  if (fields.length) {
    await page.selectOption('#course-region', '');
    await page.fill('#course-from', '');
    await page.selectOption('#course-field', fields[0]);
    await page.click('#course-form button[type=submit]');
    await page.waitForFunction(() => /(of|dari) \d+/.test(document.getElementById('courses-status').textContent));
    const kinds = await page.$$eval('#course-results tbody tr td:nth-child(2) small', (n) => n.map((e) => e.textContent));
    check(kinds.length > 0 && kinds.every((k) => k === fields[0]), `the kejuruan filter keeps "${fields[0]}" only (${kinds.length})`);
  }
});

// A person's history: linked people, masked fields; by NIK only with a key that may.
await step('person', async () => {
  await page.goto(`${base}/#person`);
  await page.click('#linked-people');
  await page.waitForSelector('[data-person-id]');
  await page.locator('[data-person-id]').first().click();
  await page.waitForSelector('#person-result table.enrollments');
  const providers = (await page.textContent('#person-result .providers')).split(', ');
  check(providers.length >= 2, `a linked person's records at ${providers.join(' and ')}`);
  const niks = await page.$$eval('#person-result table.records .masked', (n) => n.map((e) => e.textContent));
  check(niks.length >= 2 && niks.every((n) => n === '—' || /^\d{6}\*{6}\d{4}$/.test(n) || /\*/.test(n)),
    `NIKs are shown masked as the API masks them (${niks.join(' ')})`);
  const html = await page.content();
  check(!/\b\d{16}\b/.test(html), 'no 16-digit number in the page');
  const enrolments = await page.locator('#person-result table.enrollments tbody tr').count();
  check(enrolments >= 1, `their enrolments across providers (${enrolments})`);

  // By NIK: anonymous callers may not; an admin key typed into the page may.
  const nik = readFileSync(join(root, 'gateway/demo/spn/peserta.csv'), 'utf8').split('\n')[1].split(';')[4];
  await page.fill('#person-input', nik);
  await page.click('#person-form button[type=submit]');
  await page.waitForFunction(() => /FORBIDDEN/.test(document.getElementById('person-status').textContent));
  check(true, 'a NIK lookup without a key is refused (FORBIDDEN shown)');
  if (adminKey) {
    await page.fill('#api-key', adminKey);
    await page.click('#key-form button[type=submit]');
    check(await page.inputValue('#api-key') === '', 'the key leaves the input once used');
    await page.click('#forget-key');
    check(/No key|Tanpa kunci/.test(await page.textContent('#key-state')), 'a key can be forgotten');
    await page.fill('#api-key', adminKey);
    await page.click('#key-form button[type=submit]');
    check(/smp_/.test(await page.textContent('#key-state')), 'the page says a key is in use (its prefix only)');
    await page.click('#person-form button[type=submit]');
    await page.waitForSelector('#person-result table.records');
    const masked = await page.$$eval('#person-result table.records .masked', (n) => n.map((e) => e.textContent));
    check(masked.some((m) => m.startsWith(nik.slice(0, 6)) && m.includes('*')) && !masked.includes(nik),
      `with an admin key, the NIK lookup finds the person, NIK still masked (${masked.join(' ')})`);
    const stored = await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie + location.href);
    check(!stored.includes(adminKey), 'the key is kept in memory only (not in storage, cookies or the URL)');
  }
});

// Analyst charts: the gateway's numbers, withheld cells as withheld, the query and a CSV.
await step('charts', async () => {
  await page.goto(`${base}/#charts`);
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll('article.chart')];
    return charts.length >= 5 && charts.every((c) => c.querySelector('.chart-body svg, .chart-body .withheld-all, .chart-body .error'));
  });
  const errors = await page.$$eval('article.chart .chart-body .error', (n) => n.map((e) => e.textContent));
  check(errors.length === 0, 'every chart gets its answer', errors);
  const query = await page.textContent('#chart-by-provider pre.query');
  const answer = (await gql(query)).data.enrollments_aggregate;
  const bars = await page.$$eval('#chart-by-provider g.bar', (n) => n.map((e) => [e.dataset.label, e.dataset.value]));
  const expected = answer.groups.map((g) => [g.suppressed ? null : g.key.provider, g.aggregate.count === null ? 'withheld' : String(g.aggregate.count)]);
  check(bars.length === expected.length && bars.every(([l, v], i) => (expected[i][0] === null || l === expected[i][0]) && v === expected[i][1]),
    `the bar chart shows the gateway's counts per provider (${bars.map((b) => b.join('=')).join(', ')})`);
  check(await page.textContent('[data-total="by-provider"]') === String(answer.aggregate.count), 'and its total');

  const yearQuery = await page.textContent('#chart-by-year pre.query');
  const years = (await gql(yearQuery)).data.enrollments_aggregate.groups.filter((g) => !g.suppressed);
  const points = await page.$$eval('#chart-by-year g.series', (gs) => gs.flatMap((g) => [...g.querySelectorAll('circle')].map((c) => `${g.dataset.series}/${c.dataset.x}=${c.dataset.value}`)));
  const want = years.map((g) => `${g.key.provider}/${g.key.startYear}=${g.aggregate.count}`);
  check(points.length === want.length && want.every((w) => points.includes(w)), `the line chart plots each visible cell (${points.length} points)`);

  const withheld = await page.$$eval('#chart-laid-off g.bar[data-suppressed="true"]', (n) => n.map((e) => [e.dataset.value, e.querySelector('.value').textContent]));
  const laidOff = (await gql(await page.textContent('#chart-laid-off pre.query'))).data.enrollments_aggregate;
  const row = laidOff.groups.find((g) => g.suppressed);
  check(withheld.length === 1 && row && withheld[0][0] === (row.aggregate.count === null ? 'withheld' : String(row.aggregate.count)),
    `the withheld cell is a bar of its own, labelled withheld (${JSON.stringify(withheld)})`);
  const anyZero = await page.$$eval('g.bar.withheld .value', (n) => n.some((e) => e.textContent.trim() === '0'));
  check(!anyZero, 'no withheld cell is shown as zero');
  const sixMonths = await page.$$eval('#chart-six-months g.bar', (n) => n.map((e) => [e.dataset.suppressed, e.dataset.label]));
  check(sixMonths.length >= 1 && sixMonths.every(([s]) => s === 'true'), `a chart of small cells only shows them all withheld (${sixMonths.map((s) => s[1]).join(', ')})`);

  await page.click('#chart-by-provider button.show-query');
  check(await page.isVisible('#chart-by-provider pre.query'), 'the query behind a chart is one click away');
  const download = page.waitForEvent('download');
  await page.click('#chart-laid-off button.csv');
  const file = await (await download).path();
  const csv = readFileSync(file, 'utf8').trim().split('\n');
  check(csv[0] === 'field,provider,count,suppressed' && csv.length === laidOff.groups.length + 1
    && csv.some((l) => l.endsWith(',true')), `the CSV holds the chart's rows (${csv.length - 1})`);

  await page.click('[data-lang="id"]');
  check(await page.textContent('[data-page-link="charts"]') === 'Grafik analis'
    && await page.textContent('#chart-by-provider h2') === 'Pendaftaran per penyelenggara', 'Indonesian labels');
  await page.waitForSelector('#chart-laid-off g.bar.withheld');
  const label = await page.textContent('#chart-laid-off g.bar.withheld .label');
  check(/Disembunyikan/.test(label), `the withheld row in Indonesian (${label})`);
  await page.click('[data-lang="en"]');
  check(await page.textContent('[data-page-link="charts"]') === 'Analyst charts', 'English labels');
  await page.waitForSelector('#chart-laid-off g.bar.withheld');
});

// "Open in GraphiQL" from a chart opens its query in a tab of its own.
await step('graphiql-from-chart', async () => {
  const href = await page.getAttribute('#chart-laid-off a.open-graphiql', 'href');
  await page.goto(base + href);
  await page.waitForSelector('.graphiql-execute-button');
  const editor = await page.locator('.graphiql-query-editor').innerText();
  check(/enrollments_aggregate/.test(editor), 'a chart\'s query opens in GraphiQL');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => /"suppressed": true/.test(document.querySelector('.result-window')?.innerText || ''));
  check(true, 'and runs there');
});

// The README's picture (docs/console.png is a copy): the charts, in Indonesian.
await page.goto(`${base}/#charts`);
await page.click('[data-lang="id"]');
await page.waitForSelector('#chart-laid-off g.bar.withheld');
await page.screenshot({ path: join(shots, 'console.png') });
await browser.close();

check(outside.length === 0, 'nothing was fetched from outside 127.0.0.1', outside);
check(problems.length === 0, 'no script errors and no policy violations in the pages', problems);
console.log(`\n${passes} passed, ${failures} failed; screenshots in ${shots}/`);
process.exit(failures ? 1 : 0);

// page.test.mjs — the browser test of the page `cordon serve` serves at /.
// Headless Chromium (Debian's chromium package) driven by playwright-core.
// tests/unit/test_server.c starts the server and runs this with
//   CORDON_URL         the server's base URL, e.g. http://127.0.0.1:PORT
//   CORDON_KEY         an API key the page is given through its key box
//   CORDON_SCREENSHOT  where to save a screenshot of the results
// Exit status 0 when every check holds; otherwise 1 with the reason.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.CORDON_URL;
const key = process.env.CORDON_KEY;
const shot = process.env.CORDON_SCREENSHOT || 'build/serve-page.png';
if (!base || !key) {
  console.error('page.test: set CORDON_URL and CORDON_KEY');
  process.exit(2);
}

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
  console.log('ok - ' + what);
}

const profile = mkdtempSync(join(tmpdir(), 'cordon-chromium-'));
let context;
let failed = false;
try {
  // A fresh profile every run: playwright passes it as --user-data-dir.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    timeout: 60000,
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  // The one expected error: the lists request made before a key is given.
  let unauthorized = 0;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/status of 401/.test(m.text())) unauthorized++;
    else problems.push('console: ' + m.text());
  });
  // Nothing may be fetched from anywhere but the server itself.
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });

  const resp = await page.goto(base + '/', { waitUntil: 'load', timeout: 30000 });
  check(resp && resp.status() === 200, 'the page loads with 200');
  check(await page.title() === 'cordon — sanctions screening', 'the page has its title');

  // Without a key the lists box asks for one (the page is public, the API is not).
  await page.waitForFunction(() => document.getElementById('indexinfo').textContent.length > 0);
  check((await page.textContent('#indexinfo')).includes('API key'), 'without a key the page asks for one');

  // Give the key through the key box.
  await page.click('#keystate');
  await page.fill('#apikey', key);
  await page.click('#keyform button[type=submit]');
  await page.waitForSelector('#lists tbody tr', { timeout: 30000 });
  const rows = await page.$$eval('#lists tbody tr', (trs) => trs.map((tr) =>
    Array.from(tr.cells).map((td) => td.textContent)));
  check(rows.length >= 1, 'the lists table has ' + rows.length + ' lists');
  check(rows.some((r) => /^\d{4}-\d{2}-\d{2}$/.test(r[1])), 'the lists show publication dates');

  // Screen a name.
  await page.fill('#q', 'Kim Jong Un');
  await page.click('#go');
  await page.waitForSelector('#results li.result', { timeout: 30000 });
  const first = page.locator('#results li.result').first();
  check(await first.locator('.id').textContent() === 'ofac_sdn:20157',
    'the first result is ofac_sdn:20157');
  check(await first.locator('.name').textContent() === 'KIM, Jong Un', 'with its listed name');
  const bar = first.locator('.bar .fill');
  check(await bar.isVisible(), 'the score bar is visible');
  const box = await bar.boundingBox();
  const track = await first.locator('.bar').boundingBox();
  const score = Number(await first.locator('.score .value').textContent());
  check(score > 0.85 && score <= 1, 'the score is shown: ' + score);
  check(box && track && Math.abs(box.width / track.width - score) < 0.02,
    'the bar is as long as the score (' + (box.width / track.width).toFixed(3) + ')');
  check(await first.locator('.explanation').isVisible(), 'the explanation is visible');
  check(await first.locator('.explanation table.tokens tr').count() >= 2,
    'the explanation lists the token pairs');
  check((await first.locator('.explanation .matched').first().textContent()).includes('KIM, Jong Un'),
    'the explanation names the matched name');
  check((await page.textContent('#status')).includes('match'), 'the status line counts the matches');

  // The record of the entity, from GET /entities/ID.
  await first.locator('button.record').click();
  await first.locator('.entity').waitFor({ timeout: 30000 });
  check((await first.locator('.entity').textContent()).includes('1984-01-08'),
    'the record shows the date of birth');

  // Filters: a vessel search for a person's name finds no person.
  await page.selectOption('#type', 'vessel');
  await page.click('#go');
  await page.waitForFunction(() => !document.getElementById('go').disabled);
  const ids = await page.$$eval('#results li.result .id', (els) => els.map((e) => e.textContent));
  check(!ids.includes('ofac_sdn:20157'), 'type=vessel leaves the person out');
  await page.selectOption('#type', '');
  await page.click('#go');
  await page.waitForSelector('#results li.result');

  await page.screenshot({ path: shot, fullPage: true });
  console.log('screenshot: ' + shot);
  check(foreign.length === 0, 'no request left the server (' + foreign.join(' ') + ')');
  check(problems.length === 0, 'no script errors (' + problems.join('; ') + ')');
  check(unauthorized === 1, 'exactly one 401, before the key was given');
} catch (e) {
  failed = true;
  console.error('page.test: ' + (e && e.stack ? e.stack : e));
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

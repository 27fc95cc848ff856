// Drives the web UI in headless Debian chromium with playwright-core (never downloads a browser).
// Args: <peers dir> <admin url> <deployment url> <out dir> <completed id> <held id 1> <held id 2>
// Every check that fails throws; the exit code tells WebUiIT.
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [peers, admin, deployment, out, completedId, held1, held2] = process.argv.slice(2);
const { chromium } = createRequire(join(peers, 'node_modules') + '/')('playwright-core');

async function sql(query) {
  const r = await fetch(admin + '/query', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ query }) });
  if (!r.ok) throw new Error(`query ${query}: ${r.status} ${await r.text()}`);
  return (await r.json()).rows;
}
async function statusOf(id) {
  const rows = await sql(`SELECT status FROM sys_invocation WHERE id = '${id}'`);
  return rows.length ? rows[0].status : 'gone';
}
async function until(what, f) {
  for (let i = 0; i < 100; i++) { if (await f()) return; await new Promise(r => setTimeout(r, 100)); }
  throw new Error('timed out waiting for ' + what);
}
function check(cond, what) { if (!cond) throw new Error('check failed: ' + what); console.log('ok', what); }

// a fresh --user-data-dir: playwright passes it for a persistent context
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ui-it-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
page.setDefaultTimeout(10000);
page.on('dialog', d => d.accept()); // the confirmations
const errors = [];
page.on('pageerror', e => errors.push(String(e)));
const shot = name => page.screenshot({ path: join(out, name + '.png'), fullPage: true });
// a fresh load each time: a hash change alone would leave the previous page's rows visible
const go = async hash => { await page.goto('about:blank'); await page.goto(admin + '/ui/' + hash); };

try {
  // deployments: list, register (again, forced), remove is exercised last
  await go('#/deployments');
  await page.locator('table tbody tr').first().waitFor();
  check((await page.locator('table').innerText()).includes('Counter'), 'deployments list shows Counter');
  await page.fill('input[name=uri]', deployment);
  await page.click('#register button');
  await page.locator('#message.ok').waitFor();
  check((await page.innerText('#message')).startsWith('registered dp_'), 'register through the form');
  await shot('deployments');

  // services with handlers, types and settings
  await go('#/services');
  await page.locator('section[data-name=Counter]').waitFor();
  const svc = await page.locator('section[data-name=Counter]').innerText();
  check(svc.includes('VirtualObject') && svc.includes('hold') && svc.includes('journal_retention'), 'services page: type, handlers, settings');
  await shot('services');

  // invocations with filters
  await go('#/invocations?service=Counter&status=completed');
  await page.locator('a.invocation').first().waitFor();
  const listed = await page.locator('a.invocation').allInnerTexts();
  check(listed.includes(completedId) && !listed.includes(held1), 'invocations filtered by service and status');
  await go(`#/invocations?status=${await statusOf(held1)}&age=10`);
  await page.locator('a.invocation').first().waitFor();
  check((await page.locator('a.invocation').allInnerTexts()).includes(held1), 'filter by status and age');
  await shot('invocations');

  // an invocation's journal timeline
  await go('#/invocation/' + completedId);
  await page.locator('#journal li').first().waitFor();
  check((await page.innerText('#inv-status')) === 'completed', 'invocation page status');
  check(await page.locator('#journal li').count() >= 2, 'journal timeline has entries');
  check(!(await page.innerText('main')).split('\n').includes('null'), 'no stray "null" rendered');
  await shot('invocation');

  // call a handler through the ingress
  await go('#/call/Counter/add');
  await page.fill('#call input[name=key]', 'ui');
  await page.fill('#call textarea[name=body]', '7');
  await page.click('#call button');
  await page.locator('#call-body').waitFor();
  check((await page.innerText('#call-body')).trim() === '7', 'call Counter/ui/add 7 → 7');
  await shot('call');

  // state viewer and editor
  await go('#/state/Counter/ui');
  await page.locator('table tbody tr').first().waitFor();
  check((await page.locator('table').innerText()).includes('count'), 'state viewer shows count');
  await page.fill('#state-editor', '{"count": "42"}');
  await page.click('#save-state');
  await page.locator('#message.ok').waitFor();
  const got = await (await fetch(process.env.INGRESS_URL + '/Counter/ui/get', { method: 'POST' })).text();
  check(got.trim() === '42', 'state edited (Counter/ui/get → 42), got ' + got);
  await shot('state');

  // actions, each confirmed, each checked through the admin API
  const act = async (id, name) => {
    await go('#/invocation/' + id);
    await page.locator(`button[data-action="${name}"]`).waitFor();
    await page.click(`button[data-action="${name}"]`);
    await page.locator('#message').waitFor();
    const text = await page.innerText('#message');
    check(await page.locator('#message.ok').count() === 1, `${name} ${id}: ${text}`);
    return text;
  };
  await act(held1, 'pause');
  await until('paused', async () => (await statusOf(held1)) === 'paused');
  await act(held1, 'resume');
  await until('resumed', async () => (await statusOf(held1)) !== 'paused');
  await act(held1, 'cancel');
  await until('cancelled', async () => (await statusOf(held1)) === 'completed');
  await shot('cancelled');
  await act(held2, 'kill');
  await until('killed', async () => (await statusOf(held2)) === 'completed');
  await act(held2, 'purge');
  await until('purged', async () => (await statusOf(held2)) === 'gone');
  const restarted = await act(completedId, 'restart-as-new');
  check(/→ inv_/.test(restarted), 'restart-as-new gives a new invocation');

  // remove the deployment
  await go('#/deployments');
  await page.locator('button.remove').first().waitFor();
  await page.click('button.remove');
  await until('deployment removed', async () => ((await (await fetch(admin + '/deployments')).json()).deployments ?? []).length === 0);
  await shot('removed');
  check(errors.length === 0, 'no page errors: ' + errors.join('; '));
} catch (e) {
  await shot('failure').catch(() => {});
  console.error(e.stack ?? String(e));
  process.exitCode = 1;
} finally {
  await browser.close();
}

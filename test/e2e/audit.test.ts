import type { Download } from 'playwright-core';
import { afterAll, afterEach, expect, it } from 'vitest';
import { closeBrowser, finish, open, type Session } from './browser.ts';

let session: Session | undefined;
afterEach(async () => {
  await finish(session);
  session = undefined;
});
afterAll(closeBrowser);

it('the audit on Online Retail: answers, a data-proposed answer, a gap, findings, and a report that opens offline', async () => {
  session = await open('./?sample=online-retail', { acceptDownloads: true });
  const { page, context } = session;
  await page.getByRole('button', { name: 'Confirm mapping' }).click({ timeout: 60_000 });
  await page.getByTestId('kpi-customers').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await page.getByRole('heading', { name: '360° retention audit' }).waitFor({ timeout: 30_000 });

  // Answers by hand.
  await page.getByLabel('Client').fill('Acme Gifts Ltd');
  await page.getByLabel('Client').press('Tab');
  /** The input of the question with this text (its card also holds a note and a checkbox). */
  const input = (text: string) =>
    page.getByRole('article', { name: text, exact: true }).getByLabel(text, { exact: true });
  const lean = input('How strongly the organisation leans to acquisition over retention');
  await lean.selectOption('8');
  await input('Known retention issues, most pressing first').fill('Buyers stop after Christmas.');
  await input('Known retention issues, most pressing first').press('Tab');

  // The data proposes the repeat purchase rate; accepting it records its evidence.
  await page.getByRole('button', { name: 'Let the data answer' }).click();
  const repeat = page.getByRole('article', {
    name: 'Share of customers who buy more than once',
    exact: true,
  });
  // 4,338 customers: SOURCE.md's clean subset, the customers the proposed mapping counts.
  await expect
    .poll(() => repeat.getByRole('group', { name: "The data's answer" }).textContent(), {
      timeout: 60_000,
    })
    .toContain('of 4,338 customers');
  await repeat.getByRole('button', { name: 'Use the data’s answer' }).click();
  await repeat.getByText('from the data').waitFor();
  const proposedRate = Number(await repeat.getByRole('spinbutton').inputValue());
  expect(proposedRate).toBeGreaterThan(0);
  await expect
    .poll(() => page.getByRole('status').filter({ hasText: 'answered' }).textContent(), {
      timeout: 30_000,
    })
    .toContain('3 of 89 answered · 0 data gaps');

  // A question the data cannot answer: NPS needs feedback; marked as a data gap.
  await page.getByRole('button', { name: /^4\. Customer data/ }).click();
  const nps = page.getByRole('article', { name: 'Net Promoter Score', exact: true });
  await expect
    .poll(() => nps.textContent(), { timeout: 30_000 })
    .toContain('A feedback table with a 0–10 score');
  await nps.getByLabel('Unable to answer').check();
  await expect
    .poll(() => page.getByRole('status').filter({ hasText: 'answered' }).textContent(), {
      timeout: 30_000,
    })
    .toContain('1 data gaps');

  // A finding with M.I.C.E. scores: 1 department → M = 9; 9 + 8 + 8 + 8 = 33, ease 8 ≥ 7: short-term.
  await page.getByRole('button', { name: /^Findings and fix plan/ }).click();
  const form = page.getByRole('form', { name: 'Add a finding' });
  await form.getByLabel('Finding').fill('No welcome series after the first order');
  await form.getByLabel('Departments').fill('1');
  await form.getByLabel('Impact').fill('8');
  await form.getByLabel('Confidence').fill('8');
  await form.getByLabel('Ease').fill('8');
  await form.getByLabel('Baseline KPI').fill('Month-1 retention');
  await form.getByLabel('KPI value').fill('23.7');
  await form.getByLabel('Unit').fill('%');
  await form.getByLabel('Measure against a holdout').check();
  await form.getByRole('button', { name: 'Add finding' }).click();
  const plan = page.getByRole('table', { name: 'Fix plan' });
  const row = plan.getByRole('row', { name: /No welcome series/ });
  await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('33');
  await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Short-term fix');
  await page.getByRole('button', { name: 'Add the data’s findings' }).click();
  await expect.poll(() => plan.locator('tbody tr').count()).toBeGreaterThan(1);

  // Export the report and open it in a new page with the network off.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByRole('button', { name: 'Export report' }).click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(1);
  expect(downloads[0].suggestedFilename()).toBe('Acme_Gifts_Ltd-retention-audit.html');
  const html = Buffer.concat(await (await downloads[0].createReadStream()).toArray()).toString(
    'utf8',
  );
  await context.setOffline(true);
  const report = await context.newPage();
  const reportErrors: string[] = [];
  report.on('pageerror', (e) => reportErrors.push(e.message));
  await report.setContent(html);
  await report.getByText('Prepared for Acme Gifts Ltd').waitFor();
  await report.getByRole('heading', { name: 'Executive summary' }).waitFor();
  await expect
    .poll(() => report.locator('section.summary').textContent(), { timeout: 30_000 })
    .toContain('3 of 89 questions are answered across 13 sections; 1 is marked as a data gap.');
  const planRow = report.locator('table.plan tbody tr', { hasText: 'No welcome series' });
  await expect.poll(() => planRow.locator('td.score').textContent()).toBe('33');
  await expect
    .poll(() => planRow.textContent(), { timeout: 30_000 })
    .toContain('Month-1 retention 23.7 %');
  await expect
    .poll(() => report.locator('table.gaps').textContent(), { timeout: 30_000 })
    .toContain('A feedback table with a 0–10 score');
  await expect
    .poll(() => report.locator('#section-overall').textContent(), { timeout: 30_000 })
    .toContain(`${proposedRate} %`);
  await expect
    .poll(() => report.locator('#section-overall').textContent(), { timeout: 30_000 })
    .toContain('From the data:');
  expect(await report.locator('figure.chart svg').count()).toBe(2);
  await expect
    .poll(() => report.locator('footer').textContent(), { timeout: 30_000 })
    .toContain('online_retail');
  expect(await report.evaluate(() => document.scripts.length)).toBe(0);
  expect(reportErrors).toEqual([]);
  await report.close();
  await context.setOffline(false);

  // The answers are saved with the notebook: they survive a reload.
  await page.waitForTimeout(1500);
  await page.reload();
  await page.getByRole('heading', { name: '360° retention audit' }).waitFor({ timeout: 60_000 });
  await expect
    .poll(
      () => input('How strongly the organisation leans to acquisition over retention').inputValue(),
      { timeout: 30_000 },
    )
    .toBe('8');
});

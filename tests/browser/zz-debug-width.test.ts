import { it } from 'vitest';
import { launchBrowser } from '/work/main/tests/support/browser.ts';
import { startFakeApi, FAKE_AGENT } from '/work/main/tests/support/fake-api.ts';
it('widths', async () => {
  const api = await startFakeApi('collector');
  const b = await launchBrowser();
  const page = await b.context.newPage();
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(`${api.url}/#/host/${FAKE_AGENT.id}`);
  await page.waitForTimeout(3000);
  const wide = await page.evaluate(() => {
    const out: string[] = [];
    const walk = (root: Document | ShadowRoot, path: string) => {
      for (const el of root.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > 376) out.push(`${path} ${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)} w=${Math.round(r.width)}`);
        if (el.shadowRoot) walk(el.shadowRoot, `${path}>${el.tagName.toLowerCase()}`);
      }
    };
    walk(document, '');
    return out.slice(0, 30);
  });
  console.log(wide.join('\n'));
  await b.close(); await api.close();
}, 60000);

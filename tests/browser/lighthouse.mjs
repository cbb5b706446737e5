// Lighthouse over one page of every kind as a desktop reader, and over the home page, a post, an
// event and a chapter as a phone reader too: accessibility, best practices and SEO must score 100
// and the cumulative layout shift stay below 0.1. The
// performance score is timing-based and not asserted (it varies with the machine's load).

import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const CATEGORIES = ['accessibility', 'best-practices', 'seo'];
const MAX_CLS = 0.1;
const ON_PHONES_TOO = ['home', 'post', 'event', 'chapter'];
const FORM_FACTORS = {
  mobile: { formFactor: 'mobile', screenEmulation: { mobile: true, width: 375, height: 812, deviceScaleFactor: 2, disabled: false } },
  desktop: { formFactor: 'desktop', screenEmulation: { mobile: false, width: 1280, height: 800, deviceScaleFactor: 1, disabled: false } },
};

/** The audits of a category that did not pass, with what Lighthouse says of each. */
function failingAudits(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit.score !== null && audit.score < 1)
    .map((audit) => `    ${audit.id}: ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
}

/**
 * Runs Lighthouse on each page (`{ name, url }`, url relative to `base`) and reports through
 * `check(ok, what, detail)`. Returns the scores, for the summary.
 */
export async function checkLighthouse(chromiumPath, base, pages, check) {
  const chrome = await chromeLauncher.launch({
    chromePath: chromiumPath,
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const results = [];
  try {
    for (const page of pages) {
      const factors = ON_PHONES_TOO.includes(page.name) ? ['desktop', 'mobile'] : ['desktop'];
      for (const factor of factors) {
        const settings = FORM_FACTORS[factor];
        const url = base + page.url;
        const run = await lighthouse(
          url,
          { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', ...CATEGORIES] },
          {
            extends: 'lighthouse:default',
            settings: { ...settings, throttlingMethod: 'provided', disableFullPageScreenshot: true },
          },
        );
        const lhr = run.lhr;
        const label = `lighthouse ${page.name} (${factor})`;
        if (!check(!lhr.runtimeError, `${label}: ran`, lhr.runtimeError && lhr.runtimeError.message)) continue;
        const scores = {};
        for (const category of CATEGORIES) {
          const score = Math.round((lhr.categories[category].score ?? 0) * 100);
          scores[category] = score;
          check(score === 100, `${label}: ${category} scores 100 (got ${score})`, failingAudits(lhr, category).join('\n'));
        }
        const cls = lhr.audits['cumulative-layout-shift'].numericValue ?? 0;
        scores.cls = cls;
        check(cls < MAX_CLS, `${label}: cumulative layout shift below ${MAX_CLS} (got ${cls.toFixed(3)})`);
        results.push({ page: page.name, factor, ...scores });
      }
    }
  } finally {
    await chrome.kill();
  }
  return results;
}

/**
 * Regenerates the reference images of the official PDF: page 1 of the seed, the generated
 * 30-issue plan and the plan with indicators and reviews, rasterized by poppler's pdftoppm at
 * 50 dpi (what test/formats/pdf/official-render.test.ts compares against). Needs poppler-utils.
 * Look at the images and review the diff before committing: they change only when the layout should.
 *   node --import tsx scripts/update-pdf-reference.ts
 */
import { writeFileSync } from 'node:fs';
import { renderPlanPdf } from '../src/formats/pdf/render.ts';
import { CREATION_DATE, pdfFonts, PLANS, rasterizeFirstPage, referenceImage } from '../test/formats/pdf/official-support.ts';

const fonts = pdfFonts();
for (const [name, plan] of PLANS) {
  const bytes = await renderPlanPdf(plan(), { fonts, creationDate: CREATION_DATE });
  const png = rasterizeFirstPage(bytes);
  writeFileSync(referenceImage(name), png);
  console.log(`${referenceImage(name)}: ${png.length} bytes`);
}

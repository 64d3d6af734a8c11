import { renderPlanDocument } from '../../app/documents.ts';
import { organizationNamer } from '../../app/open-data.ts';
import { DOCUMENT_FORMATS } from '../../formats/index.ts';
import { publishedPlan2From } from '../routes/api.ts';
import type { PublishedSnapshot } from './cache.ts';
import type { PublishedFormat, RenderInput } from './serve.ts';

/** 「大阪市西区_2017年度_運営方針.pdf」, with an ASCII name (nishi-2017.pdf) for clients that cannot take filename*. */
function documentName(p: PublishedSnapshot, cityName: string | undefined, ext: string) {
  const who = `${cityName ?? ''}${p.organization.name}`;
  return { name: `${who}_${p.summary.fiscalYear}年度_運営方針.${ext}`, ascii: `${p.organization.slug}-${p.summary.fiscalYear}.${ext}` };
}

/**
 * The plan with its measurements and scales (as /2 serves it), the organization as the open
 * data names it, and the last change as the document's date, so two processes make the same
 * bytes (and the same ETag) for the same state.
 */
async function documentInput({ store, published, measurements, cityScales }: RenderInput, lastChange: Date) {
  return {
    plan: publishedPlan2From(published, measurements, cityScales),
    organization: await organizationNamer(store)(published.organization),
    creationDate: lastChange,
  };
}

/**
 * An official document as a published format: the PDF (A4, BIZ UDPGothic embedded) or the
 * workbook in the city's 様式. Not compressed again: the PDF's streams are deflated already,
 * and an xlsx is a zip.
 */
function officialDocument(format: 'pdf' | 'xlsx'): PublishedFormat {
  return {
    name: `plan.${format}`,
    mediaType: DOCUMENT_FORMATS[format].mediaType,
    compress: false,
    fileName: (p) => documentName(p, p.cityName, format),
    async render(input) {
      const { plan, organization, creationDate } = await documentInput(input, input.lastChange);
      return renderPlanDocument(plan, format, { organization, creationDate });
    },
  };
}

export const planPdfFormat = officialDocument('pdf');
export const planXlsxFormat = officialDocument('xlsx');

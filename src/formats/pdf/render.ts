/**
 * A plan as the PDF a ward publishes: A4 portrait in Osaka's official layout (docs/official-pdf.md),
 * BIZ UDPGothic embedded (the caller passes the font files' bytes: never a system font, so the
 * output is the same on every machine), page numbers, title/author/language metadata, tagged for
 * accessibility.
 *
 * The plan itself rides along as an embedded file, hoshin-plan.json (hoshin-plan/2), as Factur-X
 * embeds its XML invoice in a PDF/A-3: `readPlanPdf` reads it back exactly, ids included, and
 * checks it against the printed pages. The printed text alone also reads back through the text
 * reader to the same numbers, titles and budgets (test/formats/pdf/official-text.test.ts).
 *
 * Pure: bytes in, bytes out. pdfkit is told not to load its default font (that would read
 * Helvetica's metrics from disk and list a non-embedded font in the PDF).
 */
import PDFDocument from 'pdfkit';
import type { Plan } from '../../domain/plan.ts';
import type { OpenDataOrganization } from '../csv/open-data.ts';
import { PLAN_FORMAT_2, renderJson } from '../json/plan-json.ts';
import { planBlocks, planTitle } from './official/model.ts';
import { OfficialWriter, PAGE } from './official/writer.ts';

export interface PlanPdfOptions {
  /** BIZ UDPGothic Regular and Bold (TrueType), as bytes: @expo-google-fonts/biz-udpgothic (see `bizUdpGothicPaths`). */
  fonts: { regular: Uint8Array; bold: Uint8Array };
  /** The author in the metadata: 「大阪市 西区」 (code and name, as the open data names it); the plan's own organization otherwise. */
  organization?: OpenDataOrganization;
  /** Creation and modification date in the metadata; fixed in tests so the bytes are the same run to run. */
  creationDate?: Date;
  /** Embed the plan as hoshin-plan.json (default true); false gives the printed pages only. */
  embedPlan?: boolean;
  /** Bytes to embed as hoshin-plan.json instead of the plan's JSON: for tests of a damaged or swapped file only. */
  attachment?: Uint8Array;
}

/** The embedded file's name: what `readPlanPdf` looks for. */
export const PLAN_ATTACHMENT = 'hoshin-plan.json';
export const PDF_MEDIA_TYPE = 'application/pdf';
/** Who made the file, in its metadata: how `readPlanPdf` tells our PDFs from others. */
export const PDF_CREATOR = 'Hoshin';

export async function renderPlanPdf(plan: Plan, options: PlanPdfOptions): Promise<Uint8Array> {
  const date = options.creationDate ?? new Date();
  const title = planTitle(plan);
  const author = options.organization?.name ?? plan.organization;
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'ja',
    displayTitle: true,
    // null: no default font (see the module comment); the typings only know strings.
    font: null as unknown as string,
    info: {
      Title: title,
      Author: author,
      Subject: `${title}(重点的に取り組む主な経営課題、市政改革プランに基づく取組等、自己評価)`,
      Keywords: `運営方針, ${plan.organization}, ${plan.fiscalYear}`,
      Creator: PDF_CREATOR,
      Producer: `${PDF_CREATOR} (PDFKit)`,
      CreationDate: date,
      ModDate: date,
    },
  });
  const done = collect(doc);
  if (options.embedPlan !== false) {
    const json = options.attachment ?? new TextEncoder().encode(renderJson(plan, PLAN_FORMAT_2));
    doc.file(Buffer.from(json.buffer, json.byteOffset, json.byteLength), {
      name: PLAN_ATTACHMENT,
      type: 'application/json',
      description: `${title} のデータ(${PLAN_FORMAT_2})。Hoshin でこのPDFを取り込むと、この計画がそのまま読み込まれます。`,
      creationDate: date,
      modifiedDate: date,
      // The file is the document's content in another form (PDF/A-3's AFRelationship).
      ...({ relationship: 'Alternative' } as object),
    });
  }
  const writer = new OfficialWriter(doc, options.fonts);
  writer.write(planBlocks(plan));
  writer.numberPages();
  doc.end();
  return done;
}

function collect(doc: PDFKit.PDFDocument): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
}

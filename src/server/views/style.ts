/**
 * The one stylesheet, served from the app itself (no CDN) as /static/style.css.
 * Colours keep a contrast ratio of at least 4.5:1 on their backgrounds (WCAG AA).
 */
export const STYLE_CSS = `
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #8a8a8a; --accent: #0b4f8a; --bg: #ffffff; --soft: #f2f5f8; --warn: #8a1c00; --ok: #1d5c2e; }
* { box-sizing: border-box; }
html { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; color: var(--ink); background: var(--bg); line-height: 1.7; }
body { margin: 0; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, textarea:focus, select:focus, summary:focus, .scroll:focus { outline: 3px solid #e07b00; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 10; }
header.site { background: var(--accent); color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; }
header.site a { color: #fff; }
header.site .brand { font-weight: bold; font-size: 1.2rem; text-decoration: none; }
header.site nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; flex-wrap: wrap; align-items: center; }
header.site form { display: inline; margin: 0; }
header.site button { background: #fff; color: var(--accent); border: 0; padding: .2rem .6rem; cursor: pointer; font: inherit; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; overflow-wrap: break-word; }
footer.site { border-top: 1px solid var(--line); color: var(--muted); padding: 1rem; text-align: center; font-size: .9rem; }
h1 { font-size: 1.6rem; line-height: 1.4; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--accent); margin-top: 2rem; }
h3 { font-size: 1.15rem; margin-top: 1.5rem; }
h4 { font-size: 1.05rem; margin-top: 1.2rem; }
/* A plan shown inside a page (staff view, conflict screen) starts at h3, so its issues reach h5/h6: keep them body size, not the browser's .83em/.67em. */
h5, h6 { font-size: 1rem; margin-top: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .4rem .5rem; vertical-align: top; text-align: left; overflow-wrap: break-word; }
/* A table too wide for a phone scrolls inside its own box (focusable, named by its caption), never the page. */
.scroll { overflow-x: auto; margin: .5rem 0 1rem; }
.scroll > table { margin: 0; }
/* Left, so the caption starts in view when the table is wider than the screen. */
.scroll caption { text-align: left; }
/* Descriptions keep a readable line length; the box scrolls to show them instead. */
.scroll td.desc { min-width: 14em; }
/* Budget headings break only where the markup allows (<wbr>: 29年度 / 区CM予算額). */
.scroll thead th.num { white-space: normal; word-break: keep-all; overflow-wrap: normal; }
thead th, tbody th { background: var(--soft); }
td.num, th.num { text-align: right; white-space: nowrap; }
tfoot td, tfoot th { font-weight: bold; background: var(--soft); }
.draft-mark { color: var(--warn); }
.status { display: inline-block; padding: 0 .4rem; border: 1px solid var(--muted); }
.notice { background: var(--soft); border-left: 4px solid var(--accent); padding: .5rem 1rem; }
.error, .problem { color: var(--warn); }
.problems { border: 2px solid var(--warn); padding: .5rem 1rem; }
.flash { border: 2px solid var(--ok); color: var(--ok); padding: .5rem 1rem; }
.empty { color: var(--muted); }
.pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.wrap { overflow-wrap: anywhere; }
.no { white-space: nowrap; }
.item-title { min-width: 8em; }
form.stack label { display: block; font-weight: bold; margin-top: .6rem; }
/* A radio button or checkbox keeps its label on its own line, beside it. */
form.stack input[type=radio] + label, form.stack input[type=checkbox] + label { display: inline; font-weight: normal; margin: 0 0 0 .3rem; }
input[type=text], input[type=password], input[type=number], textarea, select { font: inherit; width: 100%; padding: .3rem; border: 1px solid var(--muted); }
input.short { width: 6rem; }
textarea { min-height: 4.5rem; }
fieldset { border: 1px solid var(--line); margin: .8rem 0; padding: .5rem 1rem 1rem; }
legend { font-weight: bold; padding: 0 .3rem; }
.tools { display: flex; gap: .4rem 1rem; flex-wrap: wrap; margin: .4rem 0; }
ul.tools { list-style: none; padding: 0; }
button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--accent); background: var(--bg); color: var(--accent); cursor: pointer; }
button.primary { background: var(--accent); color: #fff; }
button.danger { border-color: var(--warn); color: var(--warn); }
.field-problem { color: var(--warn); margin: .2rem 0; }
ins { background: #dff3e3; text-decoration: none; }
/* Before and after get equal halves, however much one side holds. */
table.diff { table-layout: fixed; }
table.diff thead th:first-child { width: 22%; }
table.diff thead th:nth-child(2) { width: 4em; }
/* An added or removed item in a diff: its heading, then its fields as label and value. */
.change-heading { font-weight: bold; margin: 0; }
.change-item dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0 .8rem; margin: .2rem 0; }
.change-item dt { font-weight: bold; }
.change-item dd { margin: 0; }
.change-item ul { margin: .2rem 0; padding-left: 1.2rem; }
del { background: #fbe3df; }
/* minmax(0, 1fr): a plain 1fr column grows to its widest table, pushing the right version past the page. */
.versions { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1rem; }
.versions > section { min-width: 0; overflow-x: auto; }
.versions table { font-size: .9rem; }
.versions th, .versions td { overflow-wrap: anywhere; }
.versions thead th { white-space: nowrap; }
.versions .item-title { min-width: 0; }
@media (max-width: 48rem) { .versions { grid-template-columns: 1fr; } }
/* Last year's figures beside this year's item: marked as last year's, never read as this year's. */
.prior-year { border-left: 4px solid var(--muted); background: var(--soft); padding: .3rem .8rem; margin: .5rem 0; }
.prior-year .prior-heading { font-weight: bold; margin: 0; }
.prior-year dt { font-weight: bold; }
.prior-year dd { margin: 0 0 .4rem; }
/* Rarely used fields folded away in the editor. */
details.more { margin: .5rem 0; }
details.more > summary { cursor: pointer; color: var(--accent); }
.indicators > fieldset { background: var(--bg); }
/* Charts shrink with the page: a phone shows the whole chart, not a scrolled part of it. */
.indicator figure { margin: .5rem 0; }
.indicator svg { max-width: 100%; height: auto; }
.point { display: flex; flex-wrap: wrap; gap: 0 1rem; }
fieldset.rating > div { margin: .1rem 0; }
ul.figures { margin: .2rem 0; padding-left: 1.2rem; color: var(--muted); }
/*
 * Printing (the public plan page above all): the document alone, black on white, on A4.
 * Site chrome, navigation (breadcrumb, pager), forms and buttons are for the screen only.
 * Scroll boxes open up so their tables print whole; a table's header repeats on each page,
 * its total (tfoot) prints once at the end rather than on every page; rows, indicators and
 * charts are not split, and a heading stays with what follows it. Internal links print as
 * their text alone; an external link (http…) prints its address after it, since paper has
 * no way to follow it otherwise.
 */
@media print {
  @page { size: A4; margin: 15mm; }
  html { font-size: 10.5pt; line-height: 1.5; }
  *, *::before, *::after { color: #000 !important; background: transparent !important; box-shadow: none !important; }
  .skip, header.site, footer.site, nav, form, button, .no-print, details.more { display: none !important; }
  main { max-width: none; margin: 0; padding: 0; }
  a { text-decoration: none; }
  main a[href^="http://"]::after, main a[href^="https://"]::after { content: " (" attr(href) ")"; font-size: .9em; overflow-wrap: anywhere; }
  h1, h2, h3, h4, h5, h6, caption, .item-check-title, .indicator-title, .change-heading, .prior-heading { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
  h1 { font-size: 1.5rem; margin: 0 0 .6rem; }
  h2 { font-size: 1.3rem; border-bottom: 1.5pt solid #000; margin-top: 1.2rem; }
  h3 { font-size: 1.15rem; margin-top: 1rem; }
  h4 { font-size: 1.05rem; margin-top: .9rem; }
  h5, h6 { margin-top: .8rem; }
  p { orphans: 3; widows: 3; }
  /* A table breaks between rows only, never leaving its caption and header alone at a page's foot, nor its total alone at the top of the next. */
  table { width: 100%; break-inside: auto; font-size: .93rem; }
  caption, thead { break-after: avoid; page-break-after: avoid; }
  tbody > tr:first-child { break-before: avoid; page-break-before: avoid; }
  tbody > tr:last-child { break-after: avoid; page-break-after: avoid; }
  tfoot th { white-space: nowrap; }
  th, td { border-color: #000; padding: .2rem .35rem; }
  thead { display: table-header-group; }
  tfoot { display: table-row-group; }
  thead th { word-break: keep-all; }
  tr, .indicator, figure, .review, .prior-year, .notice, li { break-inside: avoid; page-break-inside: avoid; }
  .scroll, .versions > section { overflow: visible !important; margin: .3rem 0 .8rem; }
  .scroll td.desc, .item-title, td.desc { min-width: 0; }
  .versions { display: block; }
  .notice { border-left: 3pt solid #000; padding: .2rem .6rem; }
  .draft-mark { font-weight: bold; }
  svg { max-width: 100% !important; height: auto !important; }
}
`;

/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';

/** Who is looking at a page, as far as the layout needs to know. */
export interface Viewer {
  displayName: string;
  roleLabel: string;
  isAdmin: boolean;
  csrfToken: string;
}

export interface LayoutProps {
  title: string;
  viewer?: Viewer | null;
  children?: Child;
}

/** Every page: skip link, landmarks, lang="ja", and no script at all. */
export function Layout({ title, viewer, children }: LayoutProps) {
  return (
    <html lang="ja">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} | Hoshin 区運営方針`}</title>
        <link rel="stylesheet" href="/static/style.css" />
      </head>
      <body>
        <a class="skip" href="#main">本文へ移動</a>
        <header class="site">
          <a class="brand" href="/">Hoshin 区運営方針</a>
          <nav aria-label="サイト">
            <ul>
              <li><a href="/">公開中の運営方針</a></li>
              {viewer ? (
                <>
                  <li><a href="/staff">職員用ページ</a></li>
                  <li><a href="/staff/checks">点検の予定</a></li>
                  {viewer.isAdmin ? <li><a href="/admin">管理</a></li> : null}
                  <li>{`${viewer.displayName}(${viewer.roleLabel})`}</li>
                  <li>
                    <form method="post" action="/signout">
                      <input type="hidden" name="_csrf" value={viewer.csrfToken} />
                      <button type="submit">サインアウト</button>
                    </form>
                  </li>
                </>
              ) : (
                <li><a href="/signin">職員サインイン</a></li>
              )}
            </ul>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site">
          <p>Hoshin — 区運営方針の公開と作成</p>
        </footer>
      </body>
    </html>
  );
}

/**
 * Previous/next links for a list shown in pages. `pageCount` when the total is known;
 * otherwise `hasNext` says whether another page follows. Nothing when there is one page.
 */
export function Pager({ page, pageCount, hasNext, href, label = 'ページ送り' }: {
  page: number;
  pageCount?: number;
  hasNext?: boolean;
  href: (page: number) => string;
  label?: string;
}) {
  const next = pageCount === undefined ? Boolean(hasNext) : page < pageCount;
  if (page === 1 && !next) return null;
  return (
    <nav class="pager" aria-label={label}>
      <p>{pageCount === undefined ? `${page}ページ目` : `全${pageCount}ページ中 ${page}ページ目`}</p>
      <ul>
        {page > 1 ? <li><a href={href(page - 1)} rel="prev">{`前のページ(${page - 1}ページ目)`}</a></li> : null}
        {next ? <li><a href={href(page + 1)} rel="next">{`次のページ(${page + 1}ページ目)`}</a></li> : null}
      </ul>
    </nav>
  );
}

/** A full HTML document with its doctype. */
export async function renderPage(node: HtmlEscapedString | Promise<HtmlEscapedString>): Promise<string> {
  // Components here are synchronous, so the awaited node renders to a string at once.
  return `<!DOCTYPE html>${String(await node)}`;
}

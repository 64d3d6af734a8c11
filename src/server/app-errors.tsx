/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { ForbiddenError, InvalidRequestError } from '../app/errors.ts';
import { NotFoundError } from '../store/store.ts';
import type { AppEnv } from './context.ts';
import { forbidden, notFound, page } from './respond.tsx';

/**
 * The page for an error a use case threw on purpose (refused, malformed request, not
 * found); undefined for anything else, which the caller rethrows.
 */
export function useCaseErrorPage(c: Context<AppEnv>, e: unknown, back?: string): Promise<Response> | undefined {
  if (e instanceof ForbiddenError) return forbidden(c, e.message, e.on);
  if (e instanceof NotFoundError) return notFound(c);
  if (e instanceof InvalidRequestError) {
    return page(c, '受け付けられません', (
      <>
        <h1>受け付けられません</h1>
        <p class="problems" role="alert">{e.message}</p>
        {back ? <p><a href={back}>戻る</a></p> : null}
      </>
    ), 400);
  }
  return undefined;
}

/** The page for a use case's deliberate refusal; anything else is rethrown (an internal error). */
export function useCaseErrorOrThrow(c: Context<AppEnv>, e: unknown, back?: string): Promise<Response> {
  const handled = useCaseErrorPage(c, e, back);
  if (handled) return handled;
  throw e;
}

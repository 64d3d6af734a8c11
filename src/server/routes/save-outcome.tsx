/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { SaveOutcome } from '../../app/plans.ts';
import type { AppEnv } from '../context.ts';
import { page } from '../respond.tsx';
import { ConflictScreen } from '../views/conflict-view.tsx';
import { staffPlanPath } from './load-plan.ts';

/**
 * What the editor and the review forms answer after saveEdit, where they answer alike: a
 * stored (or unchanged) plan goes back to its page with what happened; a conflict shows the
 * fields to choose, posting back to `action`. `invalid` is each form's own page.
 */
export async function answerSave(
  c: Context<AppEnv>,
  planId: number,
  outcome: Exclude<SaveOutcome, { kind: 'invalid' }>,
  opts: { action: string; message: string },
): Promise<Response> {
  switch (outcome.kind) {
    case 'saved': {
      const flags = `${outcome.merged ? '&merged=1' : ''}${outcome.withdrewRequest ? '&withdrawn=1' : ''}`;
      return c.redirect(`${staffPlanPath(planId)}?saved=${outcome.revision.number}${flags}`, 303);
    }
    case 'unchanged':
      return c.redirect(`${staffPlanPath(planId)}?unchanged=${outcome.revision.number}`, 303);
    case 'conflict': {
      const author = await c.var.config.store.getUserByUsername(outcome.theirs.author);
      return page(c, '保存する前に選んでください', (
        <ConflictScreen action={opts.action} csrfToken={c.var.auth?.session.csrfToken ?? ''}
          base={outcome.base} theirs={outcome.theirs} theirsAuthor={author?.displayName ?? outcome.theirs.author}
          mine={outcome.mine} conflicts={outcome.conflicts} message={opts.message} />
      ), 409);
    }
  }
}

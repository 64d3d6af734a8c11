/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { MergeChoice, MergeConflict } from '../../domain/plan-merge.ts';
import type { Revision } from '../../store/store.ts';
import type { Plan } from '../../domain/plan.ts';
import { planToFormFields } from '../editor/plan-form.ts';
import { formatDateTime } from './staff-views.tsx';

/** The form name of the choice for one conflict. */
export const choiceField = (key: string) => `_choose:${key}`;

const CHOICES: ReadonlySet<string> = new Set<MergeChoice>(['base', 'theirs', 'mine']);

/** The choices a conflict screen posted back (`_choose:<key>` = base | theirs | mine); anything else ignored. */
export function choicesFromForm(fields: Record<string, string>): Map<string, MergeChoice> {
  const out = new Map<string, MergeChoice>();
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('_choose:') && CHOICES.has(value)) out.set(name.slice('_choose:'.length), value as MergeChoice);
  }
  return out;
}

/** In the order of the table's rows above them. */
const SIDES = [
  { value: 'base', label: (c: ConflictScreenProps) => `編集を始めた時(版 ${c.base.number})に戻す` },
  { value: 'theirs', label: (c: ConflictScreenProps) => `ほかの人の版(版 ${c.theirs.number})を残す` },
  { value: 'mine', label: () => 'あなたの変更を残す' },
] as const;

export interface ConflictScreenProps {
  action: string;
  csrfToken: string;
  base: Revision;
  theirs: Revision;
  /** Who saved theirs, by the name people know them by. */
  theirsAuthor: string;
  mine: Plan;
  conflicts: readonly MergeConflict[];
  message: string;
}

/**
 * Only the fields both sides changed, each with the value when the user started, the one
 * saved since, and theirs, to choose one by one. The user's whole version travels along in
 * hidden fields, so everything else they changed is merged as it is.
 */
export function ConflictScreen(props: ConflictScreenProps) {
  const { action, csrfToken, base, theirs, theirsAuthor, mine, conflicts, message } = props;
  return (
    <>
      <h1>保存する前に選んでください</h1>
      <p class="problems" role="alert">
        {`あなたが編集を始めた版 ${base.number} の後に、版 ${theirs.number} が保存されました(${theirsAuthor}、${formatDateTime(theirs.createdAt)})。` +
          `重ならない変更はどちらもそのまま残します。次の${conflicts.length}か所は両方が同じところを変えているため、どれを残すかを選んでください。あなたの変更はまだ保存されていませんが、失われてもいません。`}
      </p>
      <form method="post" action={action} class="stack">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="_baseRevision" value={String(base.number)} />
        <input type="hidden" name="_theirsRevision" value={String(theirs.number)} />
        <input type="hidden" name="_message" value={message} />
        {planToFormFields(mine).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
        {conflicts.map((conflict, i) => (
          <fieldset class="conflict">
            <legend>{`${i + 1}. ${conflict.label}`}</legend>
            <table>
              <thead><tr><th scope="col">版</th><th scope="col">内容</th></tr></thead>
              <tbody>
                <tr><th scope="row">{`編集を始めた時(版 ${base.number})`}</th><td><ConflictValue value={shown(conflict.key, conflict.base)} /></td></tr>
                <tr><th scope="row">{`ほかの人の版(版 ${theirs.number})`}</th><td><ConflictValue value={shown(conflict.key, conflict.theirs)} /></td></tr>
                <tr><th scope="row">あなたの変更</th><td><ConflictValue value={shown(conflict.key, conflict.mine)} /></td></tr>
              </tbody>
            </table>
            <div class="choices" role="radiogroup" aria-label={`${conflict.label}: 残す内容`}>
              {SIDES.map((side) => {
                const id = `choose-${i}-${side.value}`;
                return (
                  <div>
                    <input type="radio" id={id} name={choiceField(conflict.key)} value={side.value} required />
                    <label for={id}>{side.label(props)}</label>
                  </div>
                );
              })}
            </div>
          </fieldset>
        ))}
        <div class="tools"><button type="submit" name="action" value="save" class="primary">選んだ内容で保存する</button></div>
      </form>
      <p><a href={action}>あなたの変更を捨てて、最新の版を編集する</a></p>
    </>
  );
}

const DOCUMENT_STATUS_LABELS: Readonly<Record<string, string>> = { draft: '案', final: '確定' };

function shown(key: string, value: unknown): unknown {
  return key === 'documentStatus' && typeof value === 'string' ? (DOCUMENT_STATUS_LABELS[value] ?? value) : value;
}

/** A value as the page shows it: text as written, amounts with separators, a removed item as such; never JSON. */
function ConflictValue({ value }: { value: unknown }) {
  if (value === undefined) return <span class="empty">(削除されています)</span>;
  if (value === null || value === '') return <span class="empty">(なし)</span>;
  if (typeof value === 'number') return <>{value.toLocaleString('ja-JP')}</>;
  if (typeof value === 'string') return <span class="pre">{value}</span>;
  if (Array.isArray(value)) return <ul>{value.map((v) => <li><ConflictValue value={v} /></li>)}</ul>;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const name = [o['number'], o['title'] ?? o['planName']].filter((x) => x !== undefined && x !== '').join(' ');
    const children = (o['strategies'] ?? o['initiatives'] ?? o['items']) as unknown[] | undefined;
    return <span>{`${name}${Array.isArray(children) ? `(下位の項目 ${children.length}件を含む)` : ''}`}</span>;
  }
  return <>{String(value)}</>;
}

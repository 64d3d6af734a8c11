/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Diagnostic } from '../../domain/diagnostic.ts';

/** Problems by field path, plus what the user typed for fields that could not be read. */
export interface FieldState {
  problems: Map<string, Diagnostic[]>;
  raw: Map<string, string>;
  /**
   * After a structural button the form comes back as a new page: the field path or the
   * button value ("up:issues[1]") that gets `autofocus`, so the user keeps their place.
   */
  focus?: string;
}

export function fieldState(diagnostics: readonly Diagnostic[], raw = new Map<string, string>(), focus?: string): FieldState {
  const problems = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    if (!d.field) continue;
    problems.set(d.field, [...(problems.get(d.field) ?? []), d]);
  }
  return { problems, raw, ...(focus === undefined ? {} : { focus }) };
}

/** "issues[0].title" → "f-issues-0-title", a valid id to link problems to their field. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;
}

export function FieldProblems({ path, state }: { path: string; state: FieldState }) {
  const list = state.problems.get(path);
  if (!list) return null;
  return (
    <div id={`${fieldId(path)}-problems`}>
      {list.map((d) => <p class="field-problem">{`${d.severity === 'error' ? 'エラー' : '注意'}: ${d.message}`}</p>)}
    </div>
  );
}

interface FieldProps {
  path: string;
  label: string;
  value: string;
  state: FieldState;
  multiline?: boolean;
  short?: boolean;
  hint?: string;
}

export function Field({ path, label, value, state, multiline, short, hint }: FieldProps) {
  const id = fieldId(path);
  const shown = state.raw.get(path) ?? value;
  const hasProblem = state.problems.has(path);
  const describedBy = [hasProblem ? `${id}-problems` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? <p class="empty" id={`${id}-hint`}>{hint}</p> : null}
      {multiline ? (
        <textarea id={id} name={path} rows={4} aria-invalid={hasProblem ? 'true' : undefined} aria-describedby={describedBy}
          autofocus={state.focus === path}>{shown}</textarea>
      ) : (
        <input type="text" id={id} name={path} value={shown} class={short ? 'short' : undefined}
          aria-invalid={hasProblem ? 'true' : undefined} aria-describedby={describedBy} autofocus={state.focus === path} />
      )}
      <FieldProblems path={path} state={state} />
    </div>
  );
}

/** Move up / move down / remove buttons for one item of a list. */
export function ItemTools({ path, label, state }: { path: string; label: string; state: FieldState }) {
  return (
    <div class="tools">
      <button type="submit" name="action" value={`up:${path}`} aria-label={`${label}を上へ移動`} autofocus={state.focus === `up:${path}`}>上へ</button>
      <button type="submit" name="action" value={`down:${path}`} aria-label={`${label}を下へ移動`} autofocus={state.focus === `down:${path}`}>下へ</button>
      <button type="submit" name="action" value={`remove:${path}`} class="danger" aria-label={`${label}を削除`}>削除</button>
    </div>
  );
}

export function AddButton({ list, label, state }: { list: string; label: string; state: FieldState }) {
  return <div class="tools"><button type="submit" name="action" value={`add:${list}`} autofocus={state.focus === `add:${list}`}>{label}</button></div>;
}

export function Group({ legend, children }: { legend: string; children?: Child }) {
  return <fieldset><legend>{legend}</legend>{children}</fieldset>;
}

/** A select with its label; `options` are [value, label]. */
export function SelectField({ path, label, value, options, state }: { path: string; label: string; value: string; options: readonly (readonly [string, string])[]; state: FieldState }) {
  const id = fieldId(path);
  const hasProblem = state.problems.has(path);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={path} aria-invalid={hasProblem ? 'true' : undefined} aria-describedby={hasProblem ? `${id}-problems` : undefined} autofocus={state.focus === path}>
        {options.map(([v, l]) => <option value={v} selected={v === value}>{l}</option>)}
      </select>
      <FieldProblems path={path} state={state} />
    </div>
  );
}

/**
 * Rarely used fields folded away, so a large plan stays scannable: open when any of them is
 * filled, has a problem, or is where the user's place is.
 */
export function More({ summary, paths, filled, state, children }: { summary: string; paths: readonly string[]; filled: boolean; state: FieldState; children?: Child }) {
  const keys = [...state.problems.keys(), ...state.raw.keys(), ...(state.focus === undefined ? [] : [state.focus.replace(/^[a-z]+:/, '')])];
  const touched = keys.some((k) => paths.some((p) => k === p || k.startsWith(`${p}.`) || k.startsWith(`${p}[`)));
  return (
    <details class="more" open={filled || touched}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { error, hasErrors, type Diagnostic } from '../../domain/diagnostic.ts';
import { formatCount, PLAN_LIMITS } from '../../domain/limits.ts';
import type { Plan } from '../../domain/plan.ts';
import { budgetProblem, validatePlan } from '../../domain/validate.ts';
import schema1 from '../../../schema/hoshin-plan-1.schema.json' with { type: 'json' };
import schema2 from '../../../schema/hoshin-plan-2.schema.json' with { type: 'json' };
import { locate, type SourceMap } from '../source-map.ts';
import { jsonFieldLines } from './field-lines.ts';
import { fromPlanJson, PLAN_FORMAT, PLAN_FORMAT_2, PLAN_FORMATS, type PlanFormat, type PlanJson } from './plan-json.ts';

export interface JsonParseResult {
  plan?: Plan;
  diagnostics: Diagnostic[];
}

const validators = new Map<PlanFormat, ValidateFunction>();

function validateSchema(value: unknown, format: PlanFormat): ErrorObject[] {
  let validator = validators.get(format);
  if (!validator) {
    validator = new Ajv({ allErrors: true, strict: false }).compile(format === PLAN_FORMAT_2 ? schema2 : schema1);
    validators.set(format, validator);
  }
  return validator(value) ? [] : (validator.errors ?? []);
}

const isPlanFormat = (value: unknown): value is PlanFormat => (PLAN_FORMATS as readonly unknown[]).includes(value);

/** Schema problems reported one by one; past this, one message counts the rest (a 100,000-item upload is not read out item by item). */
const MAX_SCHEMA_DIAGNOSTICS = 100;

/**
 * Reads `hoshin-plan/1` or `/2` JSON: syntax, then the format's schema, then the plan's own
 * rules, every problem with its line. A `/1` document's unknown keys are dropped (later
 * versions add keys); a `/2` document's are refused, since they are parts of `/2` this version
 * does not read yet and dropping them would lose them (docs/plan-format-notes.md).
 */
export function parseJson(text: string): JsonParseResult {
  // Before JSON.parse and everything after it: the position map and the schema walk recurse.
  const deep = tooDeep(text, PLAN_LIMITS.jsonDepth);
  if (deep) {
    return {
      diagnostics: [error(`JSON の入れ子が深すぎます(${formatCount(PLAN_LIMITS.jsonDepth)}段まで。hoshin-plan/1 の文書は8段です)`, { line: deep.line })],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8 quotes the text around an unexpected token, line breaks included: keep FILE:LINE: on one line.
    const message = (e as Error).message.replace(/\r?\n/g, '\\n');
    return { diagnostics: [error(`JSON の構文が正しくありません: ${message}`, { line: syntaxErrorLine(text, e as Error) })] };
  }
  let lines: SourceMap | undefined;
  const where = () => (lines ??= jsonFieldLines(text));
  let format: PlanFormat = PLAN_FORMAT;
  if (typeof value === 'object' && value !== null && 'format' in value) {
    if (!isPlanFormat(value.format)) {
      // JSON text, not String(): {"toString": ""} has no primitive value and String() would throw.
      const given = typeof value.format === 'string' ? value.format : JSON.stringify(value.format);
      const message = `形式「${given.length > 60 ? `${given.slice(0, 60)}…` : given}」には対応していません(このバージョンが読めるのは ${PLAN_FORMATS.join(' と ')} です)`;
      return { diagnostics: [error(message, { field: 'format', line: where().get('format') })] };
    }
    format = value.format;
  }
  const schemaErrors = validateSchema(value, format);
  const unread = format === PLAN_FORMAT_2 ? unreadKeys(value) : [];
  if (schemaErrors.length > 0 || unread.length > 0) {
    const diagnostics = [...unread, ...unique(schemaErrors.map((e) => toDiagnostic(e, value)))];
    const shown = diagnostics.slice(0, MAX_SCHEMA_DIAGNOSTICS);
    if (diagnostics.length > shown.length) {
      shown.push(error(`ほかに ${formatCount(diagnostics.length - shown.length)} 件、形式の問題があります(最初の${MAX_SCHEMA_DIAGNOSTICS}件だけを表示しています)`));
    }
    return { diagnostics: locate(shown, where()) };
  }
  const plan = fromPlanJson(value as PlanJson);
  const diagnostics = validatePlan(plan);
  const located = diagnostics.length > 0 ? locate(diagnostics, where()) : diagnostics;
  return hasErrors(located) ? { diagnostics: located } : { plan, diagnostics: located };
}

/** "/issues/0/strategies/1/number" → "issues[0].strategies[1].number" */
function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}

const TYPE_NAMES: Record<string, string> = {
  string: '文字列',
  integer: '整数',
  number: '数値',
  object: 'オブジェクト',
  array: '配列',
  null: 'null',
  boolean: '真偽値',
};

/** The value at a JSON pointer of a schema error ("/issues/0/title"). */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** One diagnostic per field and message: ajv reports a -1.5 budget as both not an integer and negative. */
function unique(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.field ?? ''}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const BUDGET_FIELD = /^(\/issues\/\d+(?:\/strategies\/\d+\/initiatives\/\d+)?)\/(budgetThousandYen|cmBudgetThousandYen)$/;

/** A budget that is a number but not one we store: the same message as the editor and validatePlan give. */
function budgetDiagnostic(e: ErrorObject, root: unknown): Diagnostic | undefined {
  const m = BUDGET_FIELD.exec(e.instancePath);
  if (!m) return undefined;
  const value = valueAt(root, e.instancePath);
  if (typeof value !== 'number') return undefined;
  const number = valueAt(root, `${m[1]}/number`);
  const owner = typeof number === 'string' ? `具体的取組${number}` : typeof number === 'number' ? `経営課題${number}` : `「${pointerToField(m[1]!)}」`;
  const label = `${owner}の${m[2] === 'budgetThousandYen' ? '予算額' : '区CM予算額'}`;
  const problem = budgetProblem(value, label);
  return problem === undefined ? undefined : error(problem, { field: pointerToField(e.instancePath) });
}

const scaleNameMessage = (name: string) => `評価の尺度の名前「${name.slice(0, 80)}」は英数字・ハイフン・下線・ピリオドの64文字以内にしてください`;

function toDiagnostic(e: ErrorObject, root: unknown): Diagnostic {
  const budget = budgetDiagnostic(e, root);
  if (budget) return budget;
  const field = pointerToField(e.instancePath);
  const name = field === '' ? '文書' : `「${field}」`;
  const params = e.params as Record<string, unknown>;
  let message: string;
  switch (e.keyword) {
    case 'required':
      return error(`${name}に必須の項目「${String(params.missingProperty)}」がありません`, { field });
    case 'type': {
      const types = String(params.type).split(',').map((t) => TYPE_NAMES[t] ?? t);
      message = `${name}は${types.join('または')}でなければなりません`;
      break;
    }
    case 'const':
      message = `${name}は「${String(params.allowedValue)}」でなければなりません`;
      break;
    case 'enum':
      message = `${name}は ${(params.allowedValues as unknown[]).map(String).join(' / ')} のいずれかでなければなりません`;
      break;
    case 'pattern':
      message = /\.(id|carriedFrom)$/.test(field)
        ? `${name}は id の形式(英数字・ハイフン・下線の64文字以内)ではありません`
        : /\.date$/.test(field)
          ? `${name}は日付の形式(YYYY-MM-DD)ではありません`
          : e.propertyName !== undefined
            ? scaleNameMessage(e.propertyName)
            : `${name}の番号の形式が正しくありません`;
      break;
    case 'minimum':
    case 'maximum':
      message = `${name}は${e.keyword === 'minimum' ? `${String(params.limit)}以上` : `${String(params.limit)}以下`}でなければなりません`;
      break;
    case 'minLength':
    case 'minItems':
      message = `${name}が空です`;
      break;
    case 'uniqueItems':
      message = `${name}に同じ値が2回あります`;
      break;
    case 'propertyNames':
      message = scaleNameMessage(String(params.propertyName));
      break;
    default:
      message = `${name}: ${e.message ?? e.keyword}`;
  }
  return error(message, { field });
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  $ref?: string;
}

/** A `/2` key outside the keys the `/2` schema names: a later version's, or a typo. */
function unreadKeys(root: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const definitions = (schema2 as { definitions: Record<string, SchemaNode> }).definitions;
  const resolve = (node: SchemaNode): SchemaNode => (node.$ref ? definitions[node.$ref.replace('#/definitions/', '')]! : node);
  const walk = (value: unknown, node: SchemaNode, path: string): void => {
    const n = resolve(node);
    if (Array.isArray(value)) {
      if (n.items) value.forEach((v, i) => walk(v, n.items!, `${path}[${i}]`));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    // A map (ratingScales): every key is data, its values follow one schema.
    if (typeof n.additionalProperties === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, n.additionalProperties, path === '' ? key : `${path}.${key}`);
      return;
    }
    if (!n.properties) return;
    for (const [key, child] of Object.entries(value)) {
      const field = path === '' ? key : `${path}.${key}`;
      const known = Object.hasOwn(n.properties, key) ? n.properties[key] : undefined;
      if (known) walk(child, known, field);
      else {
        const where = field === key ? '' : `(${field})`;
        const message = `キー「${key}」${where}は ${PLAN_FORMAT_2} にない項目です(読めない項目があると内容を失うため、受け付けません)`;
        out.push(error(message, { field }));
      }
    }
  };
  walk(root, schema2 as SchemaNode, '');
  return out;
}

/**
 * The first place where arrays and objects nest deeper than `max`, by scanning the text
 * (strings skipped) without recursion, so any depth costs one linear pass.
 */
function tooDeep(text: string, max: number): { line: number } | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: to the next quote not escaped by an odd run of backslashes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return { line: lineAt(text, i) };
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

function lineAt(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * V8 names a character position, or quotes the text around an unexpected token (about 10
 * characters either side, elided with ...), or says the input ended; turn any into a line.
 */
function syntaxErrorLine(text: string, e: Error): number {
  const position = /position (\d+)/.exec(e.message);
  const at = position ? Number(position[1]) : (unexpectedTokenAt(text, e.message) ?? text.length);
  let line = 1;
  for (let i = 0; i < at && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** 「Unexpected token '西', ..."ization": 西区,…"... is not valid JSON」 → the index of 西 in text. */
function unexpectedTokenAt(text: string, message: string): number | undefined {
  const m = /^Unexpected token '([\s\S]+?)', (\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (!m) return undefined;
  const [, token, elidedBefore, context] = m as unknown as [string, string, string | undefined, string];
  const start = text.indexOf(context);
  if (start < 0) return undefined;
  const offset = context.indexOf(token, elidedBefore ? 9 : 0);
  return offset < 0 ? start : start + offset;
}

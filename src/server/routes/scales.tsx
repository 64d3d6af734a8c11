/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ForbiddenError, ValidationError } from '../../app/errors.ts';
import { listCityScales, listScaleCities, saveCityScaleFromLines, scaleToLines } from '../../app/rating-scales.ts';
import { NotFoundError } from '../../store/store.ts';
import type { AppEnv } from '../context.ts';
import { csrfInput, forbidden, formFields, intParam, notFound, page, userOf } from '../respond.tsx';
import { ScalesPage, SCALES_PATH, type ScaleFormValues } from '../views/scales-view.tsx';

/** A city's rating scales (administrators only; the use cases refuse anyone else). */
export const scaleRoutes = new Hono<AppEnv>();

const EMPTY: ScaleFormValues = { name: '', lines: '', best: '1' };

async function scalesPage(c: Context<AppEnv>, cityId: number | undefined, opts: {
  values?: ScaleFormValues; edit?: string; problems?: Readonly<Record<string, string>>; status?: 200 | 422;
} = {}): Promise<Response> {
  const { store } = c.var.config;
  const user = userOf(c);
  const cities = await listScaleCities(store, user);
  // No city asked for: the first (大阪市 on a fresh install).
  const city = cityId === undefined ? cities[0] : cities.find((o) => o.id === cityId);
  if (cityId !== undefined && !city) throw new NotFoundError(`市 ${cityId} が見つかりません`);
  const scales = city ? await listCityScales(store, user, city.id) : [];
  const editing = opts.edit === undefined ? undefined : scales.find((s) => s.name === opts.edit);
  const values = opts.values ?? (editing ? { name: editing.name, ...scaleToLines(editing.options) } : EMPTY);
  const saved = c.req.query('saved');
  const done = saved !== undefined && scales.some((s) => s.name === saved) ? `評価尺度「${saved}」を保存しました。` : undefined;
  return page(c, '評価尺度', (
    <ScalesPage cities={cities} city={city} scales={scales} values={values} problems={opts.problems ?? {}} done={done} csrf={csrfInput(c)} />
  ), opts.status ?? 200);
}

function refusal(c: Context<AppEnv>, e: unknown): Promise<Response> | undefined {
  if (e instanceof ForbiddenError) return forbidden(c, e.message);
  if (e instanceof NotFoundError) return notFound(c);
  return undefined;
}

scaleRoutes.get(SCALES_PATH, async (c) => {
  const raw = c.req.query('city');
  const cityId = raw === undefined || raw === '' ? undefined : intParam(raw) ?? -1;
  const edit = c.req.query('edit');
  try {
    return await scalesPage(c, cityId, edit === undefined ? {} : { edit });
  } catch (e) {
    const handled = refusal(c, e);
    if (handled) return handled;
    throw e;
  }
});

scaleRoutes.post(SCALES_PATH, async (c) => {
  const form = await formFields(c);
  // Anything not an id reaches the use case as NaN and is refused at its field.
  const cityId = intParam(form['cityId']) ?? Number.NaN;
  const values: ScaleFormValues = { name: form['name'] ?? '', lines: form['options'] ?? '', best: form['best'] ?? '' };
  try {
    const saved = await saveCityScaleFromLines(c.var.config.store, userOf(c), { cityId, name: values.name, lines: values.lines, best: values.best });
    return c.redirect(`${SCALES_PATH}?city=${cityId}&saved=${encodeURIComponent(saved.name)}`, 303);
  } catch (e) {
    if (e instanceof ValidationError) {
      try {
        // A city that is not one (a tampered form) shows the first city, with the problem at the top.
        return await scalesPage(c, Number.isNaN(cityId) || e.problems['cityId'] ? undefined : cityId, { values, problems: e.problems, status: 422 });
      } catch (inner) {
        const handled = refusal(c, inner);
        if (handled) return handled;
        throw inner;
      }
    }
    const handled = refusal(c, e);
    if (handled) return handled;
    throw e;
  }
});

import { describe, expect, it } from 'vitest';
import { OSAKA_RATING_SCALES } from '../../../src/domain/pdca/rating-scales.ts';
import { bestCode, isBest, needsProblemsAndMeasures, ratingLabel } from '../../../src/domain/pdca/review-rules.ts';

const scales = OSAKA_RATING_SCALES;

describe('review rules over rating scales', () => {
  it('the best code is the one marked best, else the first', () => {
    expect(bestCode(scales['osaka-midyear-achievement'])).toBe('①');
    expect(bestCode([{ code: 'S', label: '' }, { code: 'A', label: '' }])).toBe('S');
    expect(bestCode([{ code: 'a', label: '' }, { code: 'b', label: '', best: true }])).toBe('b');
    expect(bestCode([])).toBeNull();
    expect(bestCode(undefined)).toBeNull();
  });

  it('② needs 課題と改善策, ① does not, no rating asks for nothing', () => {
    expect(needsProblemsAndMeasures({ scale: 'osaka-midyear-achievement', code: '②' }, scales)).toBe(true);
    expect(needsProblemsAndMeasures({ scale: 'osaka-midyear-achievement', code: '①' }, scales)).toBe(false);
    expect(needsProblemsAndMeasures(null, scales)).toBe(false);
    expect(needsProblemsAndMeasures(undefined, scales)).toBe(false);
  });

  it('an unknown scale or code is never best', () => {
    expect(isBest({ scale: 'nope', code: '①' }, scales)).toBe(false);
    expect(isBest({ scale: 'toString', code: '①' }, scales)).toBe(false);
    expect(needsProblemsAndMeasures({ scale: 'osaka-midyear-achievement', code: '③' }, scales)).toBe(true);
  });

  it('labels read as the forms print them', () => {
    expect(ratingLabel({ scale: 'osaka-midyear-achievement', code: '②' }, scales)).toBe('②達成できない見込み');
    expect(ratingLabel({ scale: 'osaka-midyear-implementation', code: '(ⅰ)' }, scales)).toBe('(ⅰ)実施見込み');
    expect(ratingLabel({ scale: 'nope', code: 'X' }, scales)).toBe('X');
  });
});

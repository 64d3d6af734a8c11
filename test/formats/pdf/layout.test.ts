import { describe, expect, it } from 'vitest';
import { joinPages, layoutPage, type PositionedText } from '../../../src/formats/pdf/layout.ts';

/** Runs of 10 pt text, 10 pt per character (full-width), at top-down line numbers with a 14 pt pitch. */
const run = (str: string, x: number, y: number, size = 10): PositionedText => ({ str, x, y, width: [...str].length * size, size });
const at = (line: number) => 800 - line * 14;
const read = (runs: PositionedText[]) => joinPages([layoutPage(runs)]);

describe('layoutPage', () => {
  it('reads a table row as its columns joined, separated by a tab, whatever order the runs come in', () => {
    const runs = [
      run('【1-1 戦略】 右の', 260, at(0)),
      run('【経営課題1 題】 左の', 50, at(0)),
      run('欄が続き', 260, at(1)),
      run('欄。', 50, at(1)),
      run('まだ続く。', 260, at(2)),
    ];
    expect(read(runs)).toBe('【経営課題1 題】 左の欄。\t【1-1 戦略】 右の欄が続きまだ続く。\n');
  });

  it('continues the right column after a gap with a leading tab, and keeps a left-only row (empty right cell) as one line', () => {
    const runs = [
      run('経営課題の概要', 50, at(0)),
      run('主な戦略', 260, at(0)),
      run('【経営課題1 題】 概要。', 50, at(2)),
      run('【1-1 戦略】 説明。', 260, at(2)),
      run('【1-2 戦略】 説明', 260, at(4)),
      run('の続き。', 260, at(5)),
      run('【1-1-1 取組】 長い説', 50, at(7)),
      run('明の続き。', 50, at(8)),
      // Running text reaching across the column boundary ends the table.
      run('表の後の本文は左の余白から右の余白まで続いていく長い段落である。', 50, at(10)),
    ];
    expect(read(runs)).toBe(
      [
        '経営課題の概要\t主な戦略',
        '【経営課題1 題】 概要。\t【1-1 戦略】 説明。',
        '\t【1-2 戦略】 説明の続き。',
        '【1-1-1 取組】 長い説明の続き。',
        '表の後の本文は左の余白から右の余白まで続いていく長い段落である。',
      ].join('\n\n') + '\n',
    );
  });

  it('joins a line wrapped at the margin, keeps short lines and list items as lines, and joins Latin words with a space', () => {
    const full = 'あ'.repeat(40);
    const runs = [
      run(full, 50, at(0)),
      run('い。', 50, at(1)),
      run('・項目その一', 50, at(2)),
      run('・項目その二', 50, at(3)),
      { str: 'PDCA cycle and the Check of each', x: 50, y: at(5), width: 400, size: 10 },
      { str: 'indicator.', x: 50, y: at(6), width: 50, size: 10 },
    ];
    expect(read(runs)).toBe(`${full}い。\n・項目その一\n・項目その二\n\nPDCA cycle and the Check of each indicator.\n`);
  });

  it('joins nothing on a page of short lines: its longest line is not a wrap', () => {
    const runs = [run('令和7年度末までに作成率を50%以上にする。', 50, at(0)), run('訓練に参加した区民の割合', 50, at(1)), run('関連するSDGs 11', 50, at(2))];
    expect(read(runs)).toBe('令和7年度末までに作成率を50%以上にする。\n訓練に参加した区民の割合\n関連するSDGs 11\n');
  });

  it('drops a page number alone on the first or last line, keeps a number inside the page', () => {
    const runs = [run('－３－', 280, at(0), 9), run('本文', 50, at(2)), run('3', 50, at(4)), run('本文', 50, at(6)), run('- 3 -', 280, at(50), 9)];
    expect(read(runs)).toBe('本文\n\n3\n\n本文\n');
    expect(read([run('12/40', 280, at(0))])).toBe('\n');
  });

  it('puts runs of one baseline on one line (a smaller run slightly off it), with a space where a gap is a space', () => {
    const runs = [run('区長', 50, at(0)), run(':', 70, at(0) + 1, 8), { str: '高野', x: 78 + 4, y: at(0), width: 20, size: 10 }];
    expect(read(runs)).toBe('区長: 高野\n');
  });

  it('ignores blank runs and empty pages', () => {
    expect(layoutPage([run('   ', 50, at(0))])).toEqual({ blocks: [] });
    expect(joinPages([{ blocks: [] }, layoutPage([run('本文', 50, at(0))])])).toBe('本文\n');
  });
});

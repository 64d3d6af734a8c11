import { UsageError } from './command.ts';

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean>;
}

/**
 * A small, strict parser: `--name value`, `--name=value`, `-o value` aliases and boolean
 * flags. Unknown options are usage errors, so a typo never silently does something else.
 */
export function parseArgs(
  args: string[],
  spec: { values?: string[]; flags?: string[]; aliases?: Record<string, string> },
): ParsedArgs {
  const values = new Set(spec.values ?? []);
  const flags = new Set([...(spec.flags ?? []), 'help']);
  const aliases = { h: 'help', ...spec.aliases };
  const positionals: string[] = [];
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      let name = arg.replace(/^--?/, '');
      let inline: string | undefined;
      if (eq > 0) {
        name = arg.slice(arg.startsWith('--') ? 2 : 1, eq);
        inline = arg.slice(eq + 1);
      }
      name = aliases[name as keyof typeof aliases] ?? name;
      if (flags.has(name) && inline === undefined) {
        options[name] = true;
      } else if (values.has(name)) {
        const value = inline ?? args[++i];
        if (value === undefined) throw new UsageError(`オプション --${name} には値が必要です`);
        options[name] = value;
      } else {
        throw new UsageError(`不明なオプションです: ${arg}`);
      }
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, options };
}

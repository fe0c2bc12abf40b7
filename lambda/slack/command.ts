/** What a `/tier …` command asks for, parsed once from the text Slack sends. */

/** A Slack user named in `/tier due …`: by mention (with their user id) or by a typed name. */
export type Who = { kind: 'me' } | { kind: 'all' } | { kind: 'user'; name: string; userId?: string };

export type TierCommand =
  | { kind: 'help' }
  | { kind: 'link'; code: string | null }
  | { kind: 'due'; who: Who }
  | { kind: 'summary' }
  | { kind: 'lookup'; query: string };

/**
 * The manifest sets `should_escape`, so Slack sends what the user typed with `&`, `<`, `>` as
 * entities and mentions as `<@U123|ana>`. Mentions are read first; the rest is decoded back to what
 * was typed (views escape it again wherever it is echoed).
 */
export const unescapeSlack = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Slack writes a mention as `<@U123ABC|ana>` (or `<@U123ABC>`); people also type `@ana`. */
function parseWho(text: string): Who {
  const word = text.trim();
  if (word === '' || /^(me|mine|我)$/i.test(word)) return { kind: 'me' };
  if (/^(all|everyone|全部)$/i.test(word)) return { kind: 'all' };
  const mention = /^<@([A-Z0-9]+)(?:\|([^>]+))?>$/.exec(word);
  if (mention) return { kind: 'user', name: mention[2] ?? mention[1], userId: mention[1] };
  return { kind: 'user', name: unescapeSlack(word).replace(/^@/, '') };
}

export function parseTierCommand(text: string): TierCommand {
  const trimmed = text.trim();
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const tail = rest.join(' ');
  switch (first.toLowerCase()) {
    case '':
    case 'help':
    case '帮助':
      return { kind: 'help' };
    case 'link':
      return { kind: 'link', code: tail || null };
    case 'due':
      return { kind: 'due', who: parseWho(tail) };
    case 'summary':
    case '汇总':
      return { kind: 'summary' };
    default:
      return { kind: 'lookup', query: unescapeSlack(trimmed) };
  }
}

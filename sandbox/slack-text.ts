/** Block Kit as a terminal shows it: sections, fields, context and buttons as plain lines. */

interface Block {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { type: string; text?: string | { text: string }; value?: string }[];
}

const unescapeMrkdwn = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\*/g, '');

export function blocksToText(message: { text?: string; blocks?: Block[] }): string {
  if (!message.blocks) return message.text ?? '';
  const lines: string[] = [];
  for (const block of message.blocks) {
    if (block.text) lines.push(unescapeMrkdwn(block.text.text));
    if (block.fields)
      lines.push(block.fields.map((f) => unescapeMrkdwn(f.text).replace('\n', ': ')).join('   '));
    if (block.type === 'context')
      lines.push(
        ...(block.elements ?? []).map((e) =>
          unescapeMrkdwn(typeof e.text === 'string' ? e.text : (e.text?.text ?? '')),
        ),
      );
    if (block.type === 'actions') {
      lines.push(
        (block.elements ?? [])
          .map(
            (e) => `[${typeof e.text === 'string' ? e.text : e.text?.text}]${e.value ? ` (${e.value})` : ''}`,
          )
          .join(' '),
      );
    }
    if (block.type === 'divider') lines.push('---');
  }
  return lines.join('\n');
}

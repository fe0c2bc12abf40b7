/**
 * Slack's Block Kit limits as a checker for tests: there is no Block Kit JSON schema on npm and Slack's
 * validator needs the network, so the limits from docs.slack.dev (blocks, section, header, context,
 * actions, button, text object; listed in the team's TECH-NOTES) are written out here once.
 * Also checks that nothing from data can ping or link: our messages never contain a raw `<` or `>`,
 * and `&` only starts an entity; no string holds half a surrogate pair.
 */

// biome-ignore lint/suspicious/noExplicitAny: walks arbitrary Block Kit JSON.
type Json = any;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BARE_AMPERSAND = /&(?!(amp|lt|gt);)/;

/** Every broken limit, as readable lines (empty when the message is fine). */
export function blockKitProblems(message: Json, options: { home?: boolean } = {}): string[] {
  const problems: string[] = [];
  const text = (where: string, value: unknown, max: number): void => {
    if (typeof value !== 'string') {
      problems.push(`${where}: not a string`);
      return;
    }
    if (value.length > max) problems.push(`${where}: ${value.length} > ${max} characters`);
    if (LONE_SURROGATE.test(value)) problems.push(`${where}: half a surrogate pair`);
    if (/[<>]/.test(value)) problems.push(`${where}: raw < or > (a link or mention): ${value.slice(0, 80)}`);
    if (BARE_AMPERSAND.test(value)) problems.push(`${where}: bare & or cut entity: ${value.slice(0, 80)}`);
  };
  if ('text' in message && message.type !== 'home') text('text', message.text, 3_000);
  const blocks: Json[] = message.blocks ?? [];
  const maxBlocks = options.home ? 100 : 50;
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  const actionIds = new Set<string>();
  blocks.forEach((block, b) => {
    const at = `blocks[${b}] (${block.type})`;
    switch (block.type) {
      case 'section':
        if (block.text) text(`${at}.text`, block.text.text, 3_000);
        if (block.fields) {
          if (block.fields.length > 10) problems.push(`${at}: ${block.fields.length} fields > 10`);
          block.fields.forEach((f: Json, i: number) => {
            text(`${at}.fields[${i}]`, f.text, 2_000);
          });
        }
        if (!block.text && !block.fields) problems.push(`${at}: neither text nor fields`);
        break;
      case 'header':
        if (block.text.type !== 'plain_text') problems.push(`${at}: header must be plain_text`);
        text(`${at}.text`, block.text.text, 150);
        break;
      case 'context':
        if (block.elements.length > 10) problems.push(`${at}: ${block.elements.length} elements > 10`);
        block.elements.forEach((e: Json, i: number) => {
          text(`${at}.elements[${i}]`, e.text, 3_000);
        });
        break;
      case 'actions':
        if (block.elements.length > 25) problems.push(`${at}: ${block.elements.length} elements > 25`);
        block.elements.forEach((e: Json, i: number) => {
          const where = `${at}.elements[${i}]`;
          text(`${where}.text`, e.text.text, 75);
          if (typeof e.value === 'string' && e.value.length > 2_000)
            problems.push(`${where}.value: ${e.value.length} > 2000`);
          if (e.action_id.length > 255) problems.push(`${where}.action_id: over 255`);
          if (actionIds.has(e.action_id)) problems.push(`${where}.action_id ${e.action_id} repeated`);
          actionIds.add(e.action_id);
        });
        break;
      case 'divider':
        break;
      default:
        problems.push(`${at}: unexpected block type`);
    }
  });
  return problems;
}

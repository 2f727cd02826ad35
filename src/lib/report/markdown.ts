/**
 * The report's narrative is Markdown an officer writes: one parser (markdown-it) turns
 * it into HTML for the report page and into simple blocks for the Word export, so both
 * say the same. Safe by construction: raw HTML in the text is shown as text, never
 * passed through (`html: false`), images are off (nothing fetched from elsewhere), and
 * markdown-it refuses javascript:, vbscript:, file: and data: links. Headings are moved
 * down under the section's own heading, so an officer's "# Title" cannot outrank it.
 */
import MarkdownIt from 'markdown-it';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

/** The longest narrative section, in characters. */
export const MAX_SECTION = 20_000;

function parser(headingBase: number) {
	const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false, breaks: false });
	md.disable(['image', 'html_inline', 'html_block']);
	md.core.ruler.push('shift_headings', (state) => {
		for (const t of state.tokens)
			if (t.type === 'heading_open' || t.type === 'heading_close')
				t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + headingBase - 1)}`;
	});
	md.core.ruler.push('safe_links', (state) => {
		for (const t of state.tokens)
			for (const c of t.children ?? []) if (c.type === 'link_open') c.attrSet('rel', 'nofollow noopener noreferrer');
	});
	return md;
}

const html3 = parser(3);

/** Sanitised HTML for a narrative section shown under an h2 (its headings start at h3). */
export function renderMarkdown(text: string): string {
	return html3.render(text);
}

export interface Run {
	text: string;
	bold?: boolean;
	italic?: boolean;
	code?: boolean;
	href?: string;
}

export type Block =
	| { kind: 'heading'; level: number; runs: Run[] }
	| { kind: 'paragraph'; runs: Run[]; quote?: boolean }
	| { kind: 'item'; ordered: boolean; depth: number; runs: Run[] };

function runsOf(inline: Token | undefined): Run[] {
	const runs: Run[] = [];
	let bold = 0;
	let italic = 0;
	let href: string | undefined;
	for (const t of inline?.children ?? []) {
		if (t.type === 'strong_open') bold++;
		else if (t.type === 'strong_close') bold--;
		else if (t.type === 'em_open') italic++;
		else if (t.type === 'em_close') italic--;
		else if (t.type === 'link_open') href = String(t.attrGet('href') ?? '') || undefined;
		else if (t.type === 'link_close') href = undefined;
		else if (t.type === 'softbreak' || t.type === 'hardbreak') runs.push({ text: ' ' });
		else if (t.type === 'text' || t.type === 'code_inline')
			runs.push({
				text: t.content,
				...(bold > 0 ? { bold: true } : {}),
				...(italic > 0 ? { italic: true } : {}),
				...(t.type === 'code_inline' ? { code: true } : {}),
				...(href ? { href } : {})
			});
	}
	return runs;
}

/**
 * The same text as a list of blocks (headings, paragraphs, list items with their depth),
 * for a document format that is not HTML. `headingBase` is the level of a "# " heading.
 */
export function markdownBlocks(text: string, headingBase = 3): Block[] {
	const tokens = parser(headingBase).parse(text, {});
	const blocks: Block[] = [];
	const lists: boolean[] = [];
	let quote = 0;
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i];
		if (t.type === 'bullet_list_open') lists.push(false);
		else if (t.type === 'ordered_list_open') lists.push(true);
		else if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') lists.pop();
		else if (t.type === 'blockquote_open') quote++;
		else if (t.type === 'blockquote_close') quote--;
		else if (t.type === 'heading_open')
			blocks.push({ kind: 'heading', level: Number(t.tag.slice(1)), runs: runsOf(tokens[i + 1]) });
		else if (t.type === 'paragraph_open') {
			const runs = runsOf(tokens[i + 1]);
			if (lists.length > 0) blocks.push({ kind: 'item', ordered: lists.at(-1)!, depth: lists.length - 1, runs });
			else blocks.push({ kind: 'paragraph', runs, ...(quote > 0 ? { quote: true } : {}) });
		} else if (t.type === 'fence' || t.type === 'code_block')
			blocks.push({ kind: 'paragraph', runs: [{ text: t.content.replace(/\n$/, ''), code: true }] });
	}
	return blocks;
}

/** Plain text of a narrative (for the Markdown export's checks and for search). */
export function plainText(blocks: Block[]): string {
	return blocks.map((b) => b.runs.map((r) => r.text).join('')).join('\n');
}
